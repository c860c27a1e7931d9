import type { RuleModule } from "../../engine/types.js";
import { deprecatedPackageRule } from "./deprecated-package.js";
import { insecureIndex } from "./insecure-index.js";
import { insecureModuleImport } from "./insecure-module-import.js";
import { unpinnedVersion } from "./unpinned-version.js";
import { vcsWithoutCommit } from "./vcs-without-commit.js";
import { vulnerableVersion } from "./vulnerable-version.js";
import { xmlParserImport } from "./xml-parser-import.js";

/** G7/C6 components and dependencies rules: manifests (PG-DEP-001…005) and Python imports (PG-DEP-010…). */
export const componentRules: readonly RuleModule[] = [
  unpinnedVersion,
  insecureIndex,
  vcsWithoutCommit,
  deprecatedPackageRule,
  vulnerableVersion,
  insecureModuleImport,
  xmlParserImport,
];
