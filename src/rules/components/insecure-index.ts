import { isVcsUrl } from "../../engine/manifests/pep508.js";
import type { IndexSetting, Manifest } from "../../engine/manifests/types.js";
import type { ManifestContext, RuleModule } from "../../engine/types.js";
import { hostOf, isCleartextRemote, isLoopback, shown, withoutCredentials } from "./manifest-support.js";

const OPTION_NAMES: Record<IndexSetting["kind"], string> = {
  "index-url": "--index-url",
  "extra-index-url": "--extra-index-url",
  "find-links": "--find-links",
  "trusted-host": "--trusted-host",
  source: "source",
};

/** How the setting reads in the manifest, for a message: `--index-url http://…`, ``[[source]] `internal` ``, `allow-insecure-host`. */
function settingLabel(manifest: Manifest, setting: IndexSetting): string {
  const url = withoutCredentials(setting.value);
  if (manifest.kind === "requirements") return `\`${OPTION_NAMES[setting.kind]} ${shown(url, 70)}\``;
  if (setting.kind === "source") return setting.name ? `the source \`${setting.name}\` (\`${shown(url, 60)}\`)` : `the source \`${shown(url, 70)}\``;
  if (setting.kind === "trusted-host") return `\`allow-insecure-host = "${setting.value}"\``;
  return `\`${setting.kind} = "${shown(url, 60)}"\``;
}

/** True when every requirement is pinned by hash, so another index cannot slip in a different file. */
function allHashed(manifest: Manifest): boolean {
  return manifest.requirements.length > 0 && manifest.requirements.every((requirement) => (requirement.hashes?.length ?? 0) > 0);
}

function checkIndex(manifest: Manifest, setting: IndexSetting, context: ManifestContext): void {
  const label = settingLabel(manifest, setting);
  if (setting.kind === "trusted-host") {
    const host = setting.value.replace(/:\d+$/u, "").toLowerCase();
    if (isLoopback(host)) return;
    context.report({
      range: setting.range,
      subject: setting.text,
      message: `${label} turns off TLS certificate checks for \`${setting.value}\` and lets the installer use plain HTTP there: anyone between you and that host can serve their own packages; give the index a valid certificate (or point \`--cert\`/\`SSL_CERT_FILE\` at your CA) and drop the option.`,
    });
    return;
  }
  const cleartext = isCleartextRemote(setting.value);
  const unverified = setting.verifySsl === false && !isLoopback(hostOf(setting.value) ?? "localhost");
  if (cleartext || unverified) {
    const problem = cleartext
      ? `fetches packages over plain HTTP${unverified ? " (and `verify_ssl = false`)" : ""}: anyone on the network path can read what you install and replace the packages`
      : "has `verify_ssl = false`: the index's certificate is not checked, so anyone on the network path can impersonate it and serve their own packages";
    context.report({
      range: setting.range,
      subject: setting.text,
      message: `${label} ${problem}; ${cleartext ? "use `https://`" : "set `verify_ssl = true`"} and keep certificate checks on (a private CA goes into the installer's certificate bundle).`,
    });
    return;
  }
  if (setting.kind === "extra-index-url" && manifest.kind === "requirements" && !allHashed(manifest)) {
    const host = hostOf(setting.value);
    if (host === null || isLoopback(host)) return;
    context.report({
      range: setting.range,
      subject: setting.text,
      severity: "warning",
      message: `${label} makes pip look up every package on both indexes and take the highest version from either: a package published on the public index under the name of one you get from \`${host}\` wins (dependency confusion); use a single \`--index-url\` that proxies both, or pin every requirement with \`--hash\`.`,
    });
  }
}

export const insecureIndex: RuleModule = {
  meta: {
    id: "PG-DEP-002",
    name: "insecure-package-source",
    title: "Packages installed from an index or URL without TLS, or with certificate checks off",
    sections: ["C6", "G7"],
    cwe: [829, 319, 494],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports package sources that an attacker on the network can replace: `http://` index URLs, extra index URLs and find-links in requirements files; `--trusted-host` (and uv's `allow-insecure-host`), which turns off certificate checks; Pipenv, Poetry, PDM and uv sources with an `http://` URL or `verify_ssl = false`; and `http://` direct references (`pkg @ http://…/pkg.tar.gz`, a bare archive URL, Poetry `url = …`, Pipenv `file = …`). Also warns about `--extra-index-url` in requirements files whose entries are not all pinned by hash (dependency confusion).",
      whyIsThisBad:
        "Installing a package runs its code (setup scripts, import-time code) with the developer's or the build server's rights. Over plain HTTP or without certificate checks, anyone on the network path (a shared Wi-Fi, a compromised proxy, a hostile network) can serve a package of their own. With `--extra-index-url`, pip takes the highest version from any index, so a public package named like an internal one is installed instead of it (the 2022 `torchtriton` incident).",
      example: "# requirements.txt\n--index-url http://pypi.internal.example/simple\n--trusted-host pypi.internal.example\nflask==3.0.3\n",
      useInstead: "# requirements.txt\n--index-url https://pypi.internal.example/simple\nflask==3.0.3\n",
      notes:
        "Not reported: hosts on this machine (`localhost`, `127.0.0.1`, `::1`), local `file:` and path sources, direct references pinned by hash (`#sha256=…` or `--hash`), and `--extra-index-url` when every requirement of the file carries `--hash`. VCS links (`git+http://…`) are reported by PG-DEP-003, once. Credentials in index URLs are masked in messages.",
    },
  },
  create() {
    return {};
  },
  checkManifest(manifest, context) {
    for (const setting of manifest.indexes) checkIndex(manifest, setting, context);
    for (const requirement of manifest.requirements) {
      const url = requirement.url;
      if (url === undefined || isVcsUrl(url) || !isCleartextRemote(url)) continue;
      if ((requirement.hashes?.length ?? 0) > 0 || /[#&](?:sha256|sha384|sha512)=/iu.test(url)) continue; // the archive is checked against its hash
      context.report({
        range: requirement.range,
        subject: requirement.text,
        message: `\`${requirement.displayName}\` is downloaded from \`${shown(withoutCredentials(url), 70)}\` over plain HTTP: anyone on the network path can replace the archive, and installing it runs their code; use an \`https://\` URL and add its hash (\`#sha256=…\`).`,
      });
    }
  },
};
