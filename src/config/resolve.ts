import type { ActiveRule } from "../engine/analyze.js";
import type { RuleModule, RuleOptions } from "../engine/types.js";
import type { PyguardConfig, SeveritySetting } from "./schema.js";

/**
 * Which rules run, at what severity, with what options. A rule's own setting wins; otherwise the
 * first of its guideline ids that the config sets decides; otherwise the rule's default.
 */
export function activeRules(config: PyguardConfig, catalogue: readonly RuleModule[]): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of catalogue) {
    const setting = config.rules[rule.meta.id];
    let severity: SeveritySetting | undefined;
    let options: RuleOptions = {};
    if (typeof setting === "string") severity = setting;
    else if (setting) {
      severity = setting.severity;
      options = setting.options ?? {};
    }
    if (severity === undefined) {
      for (const section of rule.meta.sections) {
        const sectionSetting = config.sections[section];
        if (sectionSetting) {
          severity = sectionSetting;
          break;
        }
      }
    }
    if (severity === "off") continue;
    const entry: ActiveRule = { rule, options: { ...options, naming: config.naming } };
    if (severity) entry.severityOverride = severity;
    active.push(entry);
  }
  return active;
}

export function unknownRuleIds(config: PyguardConfig, catalogue: readonly RuleModule[]): string[] {
  const known = new Set(catalogue.map((rule) => rule.meta.id));
  return Object.keys(config.rules).filter((id) => !known.has(id));
}
