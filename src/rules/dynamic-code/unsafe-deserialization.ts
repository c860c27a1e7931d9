import { matchesQualified, type ResolvedName } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { ReportDescriptor, RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { snippet } from "../support/string-building.js";
import { taintNote } from "../support/taint-note.js";

const PICKLE_MODULES = ["pickle", "cPickle", "_pickle", "dill", "cloudpickle"];

/** Functions that unpickle (or run an equivalent object loader), whatever their arguments. */
const UNPICKLERS = new Set([
  ...PICKLE_MODULES.flatMap((module) => [`${module}.load`, `${module}.loads`, `${module}.Unpickler`]),
  "shelve.open",
  "shelve.DbfilenameShelf",
  "marshal.load",
  "marshal.loads",
  "jsonpickle.decode",
  "jsonpickle.unpickler.decode",
  "pandas.read_pickle",
  "joblib.load",
]);
/** Loaders whose data argument is the bytes themselves: a constant there is the program's own data. */
const IN_MEMORY = new Set([...PICKLE_MODULES.map((module) => `${module}.loads`), "marshal.loads", "jsonpickle.decode"]);

const YAML_LOADERS = new Set(["yaml.load", "yaml.load_all"]);
const YAML_UNSAFE = new Set(["yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all"]);
const TORCH_LOAD = new Set(["torch.load"]);
const NUMPY_LOAD = new Set(["numpy.load"]);

/** Loaders that build only plain data: strings, numbers, lists, dicts. */
const SAFE_LOADERS = new Set(["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"]);

const LAST_NAMES = new Set([
  "load",
  "loads",
  "Unpickler",
  "open",
  "DbfilenameShelf",
  "decode",
  "read_pickle",
  "load_all",
  "unsafe_load",
  "unsafe_load_all",
  "full_load",
  "full_load_all",
]);

const MAX_LOADER_DEPTH = 4;

/** True when `expression` is (or is bound to) one of PyYAML's safe loaders, or a class derived from one. */
function isSafeLoader(context: RuleContext, node: SyntaxNode, depth: number): boolean {
  if (depth > MAX_LOADER_DEPTH) return false;
  const expression = unparenthesize(node);
  if (expression.type === "call") {
    // getattr(yaml, "CSafeLoader", yaml.SafeLoader): the C loader when it is built, the Python one otherwise.
    const callee = field(expression, "function");
    if (callee?.type !== "identifier" || callee.text !== "getattr") return false;
    const args = callArguments(expression);
    const attribute = args.positional[1] ? context.analyses.constant(args.positional[1]) : undefined;
    const fallback = args.positional[2];
    return typeof attribute?.value === "string" && SAFE_LOADERS.has(attribute.value) && (!fallback || isSafeLoader(context, fallback, depth + 1));
  }
  if (expression.type === "conditional_expression") {
    const [whenTrue, , whenFalse] = expression.namedChildren;
    return !!whenTrue && !!whenFalse && isSafeLoader(context, whenTrue, depth + 1) && isSafeLoader(context, whenFalse, depth + 1);
  }
  const resolved = context.analyses.resolve(expression);
  if (!resolved) return false;
  if (resolved.origin !== "local") return SAFE_LOADERS.has(resolved.name.split(".").pop() ?? "");
  if (expression.type !== "identifier") return false;
  const binding = context.analyses.scopes.bindingBefore(expression.text, expression);
  if (binding?.kind === "assignment" && binding.value) return isSafeLoader(context, binding.value, depth + 1);
  if (binding?.kind === "class") {
    // class StrictLoader(yaml.SafeLoader): ...
    const bases = field(binding.site, "superclasses");
    return !!bases && bases.namedChildren.some((base) => base.type !== "keyword_argument" && isSafeLoader(context, base, depth + 1));
  }
  return false;
}

function isTrue(context: RuleContext, node: SyntaxNode | undefined): boolean | undefined {
  if (!node) return undefined;
  const value = context.analyses.constant(node);
  return value ? Boolean(value.value) : undefined;
}

const ADVICE_PICKLE =
  "load a data format instead (`json.loads`), or sign the bytes with `hmac` and check the signature before loading";

/** The argument that holds the serialized data (or names the file holding it) for a loader. */
function dataArgument(args: CallArguments, ...keywords: readonly string[]): SyntaxNode | undefined {
  if (args.positional[0]) return args.positional[0];
  for (const keyword of keywords) {
    const value = args.keywords.get(keyword);
    if (value) return value;
  }
  return undefined;
}

/**
 * The finding for a loader call, or null. `origin(data)` is a clause naming where untrusted data in
 * `data` comes from (from the taint analysis), or "" when it finds no source; it is asked for only
 * when there is a finding, and decides the severity: `error` with a source, `warning` without.
 */
function check(
  context: RuleContext,
  call: SyntaxNode,
  callee: SyntaxNode,
  resolved: ResolvedName,
  args: CallArguments,
  origin: (data: SyntaxNode | undefined) => string,
): ReportDescriptor | null {
  const name = resolved.name;
  const shown = resolved.name;
  if (matchesQualified(resolved, UNPICKLERS)) {
    const data = dataArgument(args, "data", "file", "filename");
    if (data && IN_MEMORY.has(name) && context.analyses.constant(data)) return null;
    const source = data ? ` from \`${snippet(data)}\`` : "";
    const what = name.startsWith("marshal.") ? "with `marshal`, which is not meant for untrusted data and can crash the interpreter" : "with pickle, which runs any code the data names while loading";
    return {
      node: call,
      message: `\`${shown}\` rebuilds objects${source} ${what}${origin(data)}; ${ADVICE_PICKLE}.`,
    };
  }
  if (matchesQualified(resolved, YAML_UNSAFE)) {
    const stream = dataArgument(args, "stream");
    const fix = callee.type === "attribute" && !name.endsWith("_all") ? { description: "Use yaml.safe_load", replacement: "safe_load", node: field(callee, "attribute") ?? callee } : undefined;
    return {
      node: call,
      message: `\`${shown}\` can build arbitrary Python objects from the document, and constructing them can run code${origin(stream)}; use \`yaml.safe_load\`${name.endsWith("_all") ? " / `yaml.safe_load_all`" : ""}.`,
      ...(fix ? { fix } : {}),
    };
  }
  if (matchesQualified(resolved, YAML_LOADERS)) {
    const loader = argument(args, 1, "Loader");
    if (loader && isSafeLoader(context, loader, 0)) return null;
    if (!loader && args.hasSplat) return null;
    const stream = dataArgument(args, "stream");
    if (stream && context.analyses.constant(stream)) return null;
    const problem = loader ? `with \`Loader=${snippet(loader)}\`, which is not a safe loader,` : "without a safe `Loader`";
    const fix =
      !loader && callee.type === "attribute" && name === "yaml.load" && args.positional.length === 1 && args.keywords.size === 0
        ? { description: "Use yaml.safe_load", replacement: "safe_load", node: field(callee, "attribute") ?? callee }
        : undefined;
    return {
      node: call,
      message: `\`${shown}\` ${problem} can build arbitrary Python objects from the document, and constructing them can run code${origin(stream)}; use \`yaml.safe_load\` or pass \`Loader=yaml.SafeLoader\`.`,
      ...(fix ? { fix } : {}),
    };
  }
  if (matchesQualified(resolved, TORCH_LOAD)) {
    const weightsOnly = args.keywords.get("weights_only");
    const value = isTrue(context, weightsOnly);
    if (value === true) return null;
    if (!weightsOnly && args.hasSplat) return null;
    if (weightsOnly && value === undefined) return null;
    const fix = weightsOnly
      ? { description: "Load weights only", replacement: "True", node: weightsOnly }
      : undefined;
    return {
      node: call,
      message: `\`${shown}\` ${weightsOnly ? "with `weights_only=False`" : "without `weights_only=True`"} unpickles the file, which runs any code the file names${origin(dataArgument(args, "f"))}; pass \`weights_only=True\` (the default since PyTorch 2.6) to load tensors only.`,
      ...(fix ? { fix } : {}),
    };
  }
  if (matchesQualified(resolved, NUMPY_LOAD)) {
    if (isTrue(context, args.keywords.get("allow_pickle")) !== true) return null;
    return {
      node: call,
      message: `\`${shown}\` with \`allow_pickle=True\` unpickles object arrays, which runs any code the file names${origin(dataArgument(args, "file"))}; store plain arrays and load them with \`allow_pickle=False\`.`,
    };
  }
  return null;
}

export const unsafeDeserialization: RuleModule = {
  meta: {
    id: "PG-DYN-003",
    name: "unsafe-deserialization",
    title: "Deserialization that can run code",
    sections: ["G4", "C3"],
    cwe: [502],
    defaultSeverity: "error",
    bandit: ["B301", "B302", "B506", "B614"],
    docs: {
      whatItDoes:
        "Reports loaders that can build arbitrary objects: `pickle`, `cPickle`, `_pickle`, `dill` and `cloudpickle` `load`/`loads`/`Unpickler`, `shelve.open`, `marshal.load(s)`, `jsonpickle.decode`, `pandas.read_pickle`, `joblib.load`, `yaml.load`/`load_all` without a safe Loader, `yaml.unsafe_load`/`full_load`, `torch.load` without `weights_only=True`, and `numpy.load(allow_pickle=True)`.",
      whyIsThisBad:
        "These formats describe which objects to create and which functions to call while creating them. Whoever can write the data (an upload, a cache file, a message queue, a downloaded model) can make the loader run any code with the program's rights.",
      example:
        'import base64\nimport pickle\n\nfrom flask import request\n\n@app.route("/cart")\ndef func_showCart():\n    cookieValue = base64.b64decode(request.cookies["cart"])\n    cart = pickle.loads(cookieValue)\n    return {"items": len(cart)}',
      useInstead:
        'import base64\nimport json\n\nfrom flask import request\n\n@app.route("/cart")\ndef func_showCart():\n    cookieValue = base64.b64decode(request.cookies["cart"])\n    cart = json.loads(cookieValue)\n    return {"items": len(cart)}',
      notes:
        "Safe YAML loaders are `SafeLoader`, `CSafeLoader`, `BaseLoader` and `CBaseLoader` (also a class derived from one, and `getattr(yaml, \"CSafeLoader\", yaml.SafeLoader)`), as keyword or second positional argument; `FullLoader` is not safe. `yaml.safe_load`, `json.loads` and a subclass of `pickle.Unpickler` that restricts `find_class` are not reported. `pickle.loads` of a constant is not reported. `torch.load` is reported without `weights_only=True` even though PyTorch 2.6 made it the default: the code may run on an older version. A `weights_only` or `allow_pickle` value that is not constant, and a call that spreads `**kwargs` where the option could be, are not reported. `yaml.load` of a constant string is not reported. The severity is `error` when the taint analysis sees the data (or the file name) come from a request body, an upload, a cookie, `input()` or another untrusted source (the message names it), and `warning` otherwise: a function's parameter, a cache file or a message whose origin the analysis cannot see may still be writable by someone else, so check where it comes from. `yaml.load` without a `Loader` follows the same rule: PyYAML 6 rejects the call with a `TypeError` as soon as it runs, 5.1 to 5.4 use `FullLoader` and older versions the unsafe `Loader`, so what makes it dangerous is, as for the other loaders, who wrote the document; the `yaml.safe_load` fix is offered at either severity.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || resolved.origin === "local") return;
        const args = callArguments(node);
        const taint: { note: string | null } = { note: null };
        const origin = (data: SyntaxNode | undefined): string => {
          taint.note = data ? taintNote(context, data, "deserialize") : null;
          return taint.note ? ` (${taint.note})` : "";
        };
        const descriptor = check(context, node, callee, resolved, args, origin);
        // Data from a request or another source is an error; data of unknown origin a warning.
        if (descriptor) context.report({ ...descriptor, severity: taint.note ? "error" : "warning" });
      },
    };
  },
};
