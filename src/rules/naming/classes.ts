import type { FileAnalyses } from "../../engine/analyses/index.js";
import type { Scope } from "../../engine/analyses/scopes.js";
import { field, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { frameworkBasesFor } from "./framework-bases.js";

/** What a class's bases dictate about the names in its body. */
export interface ClassInfo {
  /** Methods and attributes that library bases define (`emit`, `template_name`). */
  members: Set<string>;
  /** Method prefixes library bases dispatch on (`visit_`, `do_`, `clean_`). */
  prefixes: string[];
  /** Class-level names are fields of a data contract (a model, a serializer, a typed dict). */
  dataFields: boolean;
  /** A `class Meta` or `class Config` nested in a class: options a framework reads by name. */
  optionsClass: boolean;
  /** Bodies of the base classes defined in this file (and their own bases): names they bind are theirs. */
  localBases: Scope[];
}

const OPTIONS_CLASSES = new Set(["Meta", "Config"]);
const MAX_DEPTH = 16;

/** One table per file, shared by the naming rules (both get the same analyses object). */
const tables = new WeakMap<FileAnalyses, Map<number, ClassInfo>>();

/** What the bases of `classNode` (a class_definition) dictate; computed once per class and file. */
export function classInfo(analyses: FileAnalyses, classNode: SyntaxNode, depth = 0): ClassInfo {
  let table = tables.get(analyses);
  if (!table) {
    table = new Map();
    tables.set(analyses, table);
  }
  const known = table.get(classNode.startIndex);
  if (known) return known;
  const info: ClassInfo = { members: new Set(), prefixes: [], dataFields: false, optionsClass: false, localBases: [] };
  table.set(classNode.startIndex, info);

  const name = field(classNode, "name")?.text ?? "";
  if (OPTIONS_CLASSES.has(name)) info.optionsClass = analyses.scopes.scopeOf(classNode)?.parent?.kind === "class";
  const superclasses = field(classNode, "superclasses");
  if (superclasses && depth < MAX_DEPTH) {
    for (const base of superclasses.namedChildren) addBase(analyses, base, info, depth);
  }
  return info;
}

/** True when a base of the class defines or dispatches on `name`, so the subclass must keep it. */
export function inheritsName(info: ClassInfo, name: string): boolean {
  if (info.members.has(name)) return true;
  for (const prefix of info.prefixes) if (name.length > prefix.length && name.startsWith(prefix)) return true;
  for (const scope of info.localBases) if (scope.bindings.has(name)) return true;
  return false;
}

function addEntries(info: ClassInfo, className: string, dottedPackage: string): void {
  const topPackage = dottedPackage.split(".", 1)[0] ?? "";
  for (const entry of frameworkBasesFor(className, topPackage)) {
    for (const member of entry.members ?? []) info.members.add(member);
    if (entry.prefixes) info.prefixes.push(...entry.prefixes);
    if (entry.dataFields) info.dataFields = true;
  }
}

function lastPart(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf(".") + 1);
}

function headIdentifier(expression: SyntaxNode): SyntaxNode | null {
  let current: SyntaxNode | null = expression;
  for (let guard = 0; current && guard < 64; guard++) {
    if (current.type === "identifier") return current;
    if (current.type !== "attribute") return null;
    current = field(current, "object");
  }
  return null;
}

function addBase(analyses: FileAnalyses, base: SyntaxNode, info: ClassInfo, depth: number): void {
  // `Generic[T]`, `BaseModel[Item]`: the class is the subscripted value.
  const expression = base.type === "subscript" ? field(base, "value") : base;
  if (!expression || (expression.type !== "identifier" && expression.type !== "attribute")) return;
  const resolved = analyses.resolve(expression);
  if (!resolved) return;
  switch (resolved.origin) {
    case "import":
      addEntries(info, lastPart(resolved.name), resolved.name);
      return;
    case "global": {
      // A builtin (`dict`), or a name a wildcard import brought in.
      const className = lastPart(resolved.name);
      addEntries(info, className, resolved.name.includes(".") ? resolved.name : "builtins");
      for (const module of analyses.scopes.wildcardImports) addEntries(info, className, module);
      return;
    }
    case "local":
      addLocalBase(analyses, expression, resolved.name, info, depth);
      return;
  }
}

function addLocalBase(analyses: FileAnalyses, expression: SyntaxNode, dotted: string, info: ClassInfo, depth: number): void {
  const head = headIdentifier(expression);
  if (!head) return;
  const scopes = analyses.scopes;
  const binding = scopes.bindingBefore(head.text, head) ?? scopes.bindingsOf(head.text, head).at(-1);
  if (!binding) return;
  const suffix = dotted.slice(head.text.length);
  if (binding.kind === "class" && suffix === "") {
    // A base class of this file: what it inherits, and every name it binds.
    const baseInfo = classInfo(analyses, binding.site, depth + 1);
    for (const member of baseInfo.members) info.members.add(member);
    info.prefixes.push(...baseInfo.prefixes);
    info.dataFields ||= baseInfo.dataFields;
    const baseScope = scopes.scopeOf(binding.site);
    if (baseScope) info.localBases.push(baseScope);
    info.localBases.push(...baseInfo.localBases);
    return;
  }
  if (binding.kind !== "assignment" || !binding.value) return;
  const value = unparenthesize(binding.value);
  if (value.type === "call") {
    // `Base = declarative_base()`, `db = SQLAlchemy(app)` … `db.Model`.
    const callee = field(value, "function");
    const factory = callee ? analyses.resolve(callee) : null;
    if (factory && factory.origin !== "local") addEntries(info, `${lastPart(factory.name)}()${suffix}`, factory.name);
  } else if (suffix === "" && (value.type === "identifier" || value.type === "attribute") && depth < MAX_DEPTH) {
    // `BaseView = generic.View`: an alias of another class.
    addBase(analyses, value, info, depth + 1);
  }
}
