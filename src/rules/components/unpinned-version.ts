import type { Manifest, Requirement } from "../../engine/manifests/types.js";
import type { ManifestContext, RuleModule } from "../../engine/types.js";
import { entryLabel } from "./manifest-support.js";
import { boundsOf, type SpecifierStyle } from "./pep440.js";

/** pip-compile and `uv pip compile` inputs: ranges are their point; the compiled .txt is checked. */
const COMPILE_INPUT = /\.in$/iu;

export function specifierStyle(manifest: Manifest, requirement: Requirement): SpecifierStyle {
  return manifest.kind === "pyproject" && requirement.section.startsWith("tool.poetry") ? "poetry" : "pep440";
}

const PIN_ADVICE = "pin it with `==` (`pip-compile --generate-hashes` or `uv pip compile --generate-hashes` write the pins for you)";

function checkRequirementsFile(requirement: Requirement, context: ManifestContext): void {
  const bounds = boundsOf(requirement.specifier, "pep440");
  const label = entryLabel(requirement);
  if (bounds.pinned) return;
  if (bounds.unconstrained) {
    const what = requirement.specifier ? `\`${label}\` allows any version` : `\`${label}\` has no version`;
    context.report({
      range: requirement.range,
      subject: requirement.text,
      severity: "warning",
      message: `${what}: every install takes whatever is newest on the index, so builds differ and a broken or compromised release goes straight in; ${PIN_ADVICE}.`,
    });
    return;
  }
  if (!bounds.upper) {
    context.report({
      range: requirement.range,
      subject: requirement.text,
      severity: "warning",
      message: `\`${label}\` has only a lower bound: every install takes the newest release above it, including new major versions and compromised releases; ${PIN_ADVICE}.`,
    });
    return;
  }
  context.report({
    range: requirement.range,
    subject: requirement.text,
    severity: "note",
    message: `\`${label}\` is a range, so what gets installed drifts within it over time; an application's requirements should pin the version it was tested with (\`==\`, from a lock such as pip-compile or uv).`,
  });
}

function checkPipfile(requirement: Requirement, context: ManifestContext): void {
  const bounds = boundsOf(requirement.specifier, "pep440");
  if (bounds.pinned || bounds.upper) return; // Pipfile.lock pins; a bounded range is how a Pipfile should read
  const label = entryLabel(requirement);
  const what = bounds.unconstrained ? `\`${label}\` allows any version` : `\`${label}\` has only a lower bound`;
  context.report({
    range: requirement.range,
    subject: requirement.text,
    severity: "warning",
    message: `${what}: the next \`pipenv lock\` or \`pipenv update\` takes whatever is newest, new major versions and compromised releases included; give it a tested range (\`${requirement.displayName} = "~=X.Y"\`) and commit Pipfile.lock.`,
  });
}

function checkPyproject(manifest: Manifest, requirement: Requirement, sourced: ReadonlySet<string>, context: ManifestContext): void {
  if (sourced.has(requirement.name)) return;
  if (!boundsOf(requirement.specifier, specifierStyle(manifest, requirement)).unconstrained) return;
  const label = entryLabel(requirement);
  context.report({
    range: requirement.range,
    subject: requirement.text,
    severity: "note",
    message: `\`${label}\` in \`${requirement.section}\` accepts any version; declare the oldest version you support (\`${requirement.displayName}>=X.Y\`), and pin exact versions for deployments in a lock file (poetry.lock, uv.lock, pdm.lock).`,
  });
}

export const unpinnedVersion: RuleModule = {
  meta: {
    id: "PG-DEP-001",
    name: "unpinned-dependency",
    title: "Dependency without a pinned or bounded version",
    sections: ["G7", "C6"],
    cwe: [1104, 1357],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports dependencies whose version is left open. In requirements and constraints files, which are what an application installs: no version, `*`, or only a lower bound (`>=`, `>`, `!=`) are warnings; an upper-bounded range (`~=`, `<`, `==1.*`) is a note, since an application should install exactly the versions it was tested with (`==`, ideally with `--hash`). In a Pipfile, whose Pipfile.lock pins: no version, `\"*\"` or only a lower bound are warnings, bounded ranges are fine. In pyproject.toml (`[project]` dependencies, optional dependencies, dependency groups, Poetry dependencies), which often describe libraries where ranges are right: only entries without any constraint, as a note.",
      whyIsThisBad:
        "An open version installs whatever is newest on the day of the build: builds stop being reproducible, a new major version breaks the application in production, and a hijacked or typo-fixed release (a compromised maintainer account, a malicious upload) is installed without anyone choosing it.",
      example: "# requirements.txt\nflask\nrequests>=2.20\n",
      useInstead: "# requirements.txt (compiled by pip-compile --generate-hashes from requirements.in)\nflask==3.0.3 \\\n    --hash=sha256:…\nrequests==2.32.3 \\\n    --hash=sha256:…\n",
      notes:
        "Not reported: exact pins (`==`, `===`, Poetry's bare `\"1.2.3\"`), direct references (URLs and VCS links: PG-DEP-002 and PG-DEP-003 judge those), editable installs and local paths, options such as `-r`/`-c`, pip-compile inputs (`*.in`: ranges are their point; the compiled `.txt` is checked), and pyproject entries whose source `[tool.uv.sources]` gives.",
    },
  },
  create() {
    return {};
  },
  checkManifest(manifest, context) {
    if (manifest.kind === "requirements" && COMPILE_INPUT.test(manifest.path)) return;
    const sourced = new Set(manifest.sourcedElsewhere ?? []);
    for (const requirement of manifest.requirements) {
      if (requirement.url !== undefined || requirement.editable) continue;
      if (manifest.kind === "requirements") checkRequirementsFile(requirement, context);
      else if (manifest.kind === "pipfile") checkPipfile(requirement, context);
      else checkPyproject(manifest, requirement, sourced, context);
    }
  },
};
