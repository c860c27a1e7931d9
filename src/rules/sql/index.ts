import type { RuleModule } from "../../engine/types.js";
import { sqlalchemyClause } from "./sqlalchemy-clause.js";
import { sqlInjection } from "./sql-injection.js";

/** G5 SQL rules. */
export const sqlRules: readonly RuleModule[] = [sqlInjection, sqlalchemyClause];
