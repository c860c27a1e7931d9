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
  /** For VCS references: the revision after `@` (or Poetry's rev/tag/branch), if any. */
  revision?: { kind: "rev" | "tag" | "branch" | "ref"; value: string };
  /** Where it sits: `project.dependencies`, `tool.poetry.group.dev.dependencies`, `packages`, or the requirements file. */
  section: string;
  /** The text of the entry, for fingerprints and messages. */
  text: string;
  range: ManifestRange;
}

/** A package index, trusted host or source the manifest points pip or Poetry at. */
export interface IndexSetting {
  kind: "index-url" | "extra-index-url" | "find-links" | "trusted-host" | "source";
  value: string;
  /** Pipfile `verify_ssl = false`. */
  verifySsl?: boolean;
  text: string;
  range: ManifestRange;
}

export interface Manifest {
  kind: ManifestKind;
  path: string;
  requirements: Requirement[];
  indexes: IndexSetting[];
}
