import { isVcsUrl } from "../../engine/manifests/pep508.js";
import type { Requirement } from "../../engine/manifests/types.js";
import type { RuleModule } from "../../engine/types.js";
import { hostOf, isLoopback, schemeOf, shown, withoutCredentials } from "./manifest-support.js";

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/iu;
const SHORT_COMMIT = /^[0-9a-f]{7,39}$/iu;
/** Transports without authentication of the server: `git://`, `http://`, `svn://`. */
const INSECURE_SCHEMES: ReadonlySet<string> = new Set(["http", "git", "svn", "bzr", "ftp"]);

/** Why the revision does not fix the code, or null when it does. */
function revisionProblem(requirement: Requirement): string | null {
  const url = requirement.url as string;
  const revision = requirement.revision;
  const vcs = url.slice(0, url.indexOf("+"));
  if (!revision) return "has no revision, so every install takes the head of the default branch";
  const value = revision.value;
  if (FULL_COMMIT.test(value)) return null;
  if (vcs === "svn" && /^r?\d+$/iu.test(value)) return null; // Subversion revision numbers do not move
  if (SHORT_COMMIT.test(value) && /\d/u.test(value) && /[a-f]/iu.test(value)) {
    return `names the abbreviated commit \`${value}\`: a branch or tag of that name takes precedence, and short hashes can become ambiguous`;
  }
  switch (revision.kind) {
    case "tag":
      return `follows the tag \`${value}\`, which can be deleted and pushed again to other code`;
    case "branch":
      return `follows the branch \`${value}\`, so every install takes whatever it points to that day`;
    default:
      return `follows \`${value}\`, a branch or tag name that can be moved to other code`;
  }
}

function label(requirement: Requirement): string {
  const url = shown(withoutCredentials(requirement.url as string), 70);
  return requirement.section.startsWith("tool.poetry") || requirement.section === "packages" || requirement.section === "dev-packages" || requirement.section === "tool.uv.sources"
    ? `\`${requirement.displayName}\` (\`${url}\`)`
    : `\`${url}\``;
}

function pinAdvice(requirement: Requirement): string {
  if (requirement.section.startsWith("tool.poetry") || requirement.section === "tool.uv.sources") return "pin a full commit hash (`rev = \"<40-hex sha>\"`)";
  if (requirement.section === "packages" || requirement.section === "dev-packages") return "pin a full commit hash (`ref = \"<40-hex sha>\"`)";
  return "pin a full commit hash (`@<40-hex sha>`)";
}

export const vcsWithoutCommit: RuleModule = {
  meta: {
    id: "PG-DEP-003",
    name: "vcs-dependency-without-commit",
    title: "VCS dependency not pinned to a commit, or fetched over an insecure transport",
    sections: ["C6", "G7"],
    cwe: [829, 1357],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports dependencies installed from a version-control repository (`git+https://…`, `pkg @ git+…`, `-e git+…`, Poetry and uv `{git = …}`, Pipenv `{git = …, ref = …}`) that are not pinned to a full commit hash: no revision, a branch, a tag, or an abbreviated hash (warnings). A repository fetched over a transport that does not authenticate the server (`git+http://`, `git+git://`, `svn+svn://`) is an error.",
      whyIsThisBad:
        "A branch moves with every push and a tag can be deleted and recreated, so the same manifest installs different code over time, including code pushed by whoever gains write access to that repository. Over `http://` or `git://`, anyone on the network path can serve a repository of their own, and installing it runs their code.",
      example: "# requirements.txt\nmylib @ git+https://github.com/example/mylib.git@main\n",
      useInstead: "# requirements.txt\nmylib @ git+https://github.com/example/mylib.git@4f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a\n",
      notes:
        "A full 40-character (or SHA-256, 64-character) commit hash and Subversion revision numbers are accepted. SSH (`git+ssh://`, `git@host:`) and HTTPS transports are fine; hosts on this machine are not reported for their transport. Each entry is reported once: an insecure transport and a missing commit go into one finding; PG-DEP-002 leaves VCS links to this rule.",
    },
  },
  create() {
    return {};
  },
  checkManifest(manifest, context) {
    for (const requirement of manifest.requirements) {
      const url = requirement.url;
      if (url === undefined || !isVcsUrl(url)) continue;
      const scheme = schemeOf(url);
      const host = hostOf(url);
      const insecure = scheme !== null && INSECURE_SCHEMES.has(scheme) && !(host !== null && isLoopback(host));
      const problem = revisionProblem(requirement);
      if (insecure) {
        context.report({
          range: requirement.range,
          subject: requirement.text,
          severity: "error",
          message: `${label(requirement)} is fetched over \`${scheme}://\`, which neither encrypts nor authenticates the server: anyone on the network path can serve their own code, and installing it runs it; use \`git+https://\` or \`git+ssh://\`${problem ? ` and ${pinAdvice(requirement)}` : ""}.`,
        });
        continue;
      }
      if (!problem) continue;
      context.report({
        range: requirement.range,
        subject: requirement.text,
        message: `${label(requirement)} ${problem}; ${pinAdvice(requirement)}.`,
      });
    }
  },
};
