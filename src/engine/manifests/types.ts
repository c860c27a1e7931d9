import type { ManifestKind } from "./kinds.js";

/** A place in a manifest, 1-based, end column exclusive. */
export interface ManifestRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One declared dependency. */
export interface Requirement {
  /** Normalized distribution name (PEP 503: lower case, runs of -_. as -). */
  name: string;
  /** The name as written. */
  displayName: string;
  /** The version specifier as written (`>=2,<3`, `==1.2.3`), empty when none; for Poetry, its version string. */
  specifier: string;
  /** A direct reference (`pkg @ https://…`, `git+https://…`, Poetry `git = …`), if any. */
  url?: string;
  /** For VCS references: the revision after `@` (or Poetry's rev/tag/branch, Pipfile's ref), if any. */
  revision?: { kind: "rev" | "tag" | "branch" | "ref"; value: string };
  /** requirements files: the `--hash=algo:digest` values given for the entry. */
  hashes?: string[];
  /** `-e` / `--editable` (requirements) or `editable = true` (Pipfile, Poetry `develop`). */
  editable?: boolean;
  /** Extras asked for (`name[security]`). */
  extras?: string[];
  /** The environment marker after `;` (`python_version < "3.11"`). */
  markers?: string;
  /** Where it sits: `project.dependencies`, `tool.poetry.group.dev.dependencies`, `packages`, or the requirements file. */
  section: string;
  /** The text of the entry, for fingerprints and messages. */
  text: string;
  range: ManifestRange;
}

/**
 * A package index, trusted host or source the manifest points pip, Pipenv, Poetry, PDM or uv at.
 * uv's `allow-insecure-host` is a `trusted-host`; its `[[tool.uv.index]]` and the sources of
 * Pipenv, Poetry and PDM are `source`s.
 */
export interface IndexSetting {
  kind: "index-url" | "extra-index-url" | "find-links" | "trusted-host" | "source";
  value: string;
  /** Pipfile and PDM `verify_ssl = false`. */
  verifySsl?: boolean;
  /** The source's name (Pipfile, Poetry, PDM, uv), when it has one. */
  name?: string;
  text: string;
  range: ManifestRange;
}

export interface Manifest {
  kind: ManifestKind;
  path: string;
  requirements: Requirement[];
  indexes: IndexSetting[];
  /** pyproject: normalized names whose source `[tool.uv.sources]` gives (git, URL, path, workspace, index), so their version is pinned there. */
  sourcedElsewhere?: string[];
}
