import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { importedModules } from "./imported-modules.js";

type Library = "stdlib" | "lxml";

/** The XML modules whose parsers expand entities, with the functions that parse (or build a parser). */
const XML_MODULES: ReadonlyMap<string, { library: Library; parsers: readonly string[] }> = new Map([
  ["xml.etree.ElementTree", { library: "stdlib", parsers: ["parse", "fromstring", "XML", "iterparse", "fromstringlist", "XMLParser", "XMLPullParser"] }],
  ["xml.etree.cElementTree", { library: "stdlib", parsers: ["parse", "fromstring", "XML", "iterparse", "fromstringlist", "XMLParser", "XMLPullParser"] }],
  ["xml.dom.minidom", { library: "stdlib", parsers: ["parse", "parseString"] }],
  ["xml.dom.pulldom", { library: "stdlib", parsers: ["parse", "parseString"] }],
  ["xml.dom.expatbuilder", { library: "stdlib", parsers: ["parse", "parseString"] }],
  ["xml.sax", { library: "stdlib", parsers: ["parse", "parseString", "make_parser"] }],
  ["lxml.etree", { library: "lxml", parsers: ["parse", "fromstring", "XML", "iterparse", "fromstringlist"] }],
  ["lxml.objectify", { library: "lxml", parsers: ["parse", "fromstring", "XML"] }],
]);

const PARSE_FUNCTIONS: ReadonlyMap<string, { module: string; library: Library }> = new Map(
  [...XML_MODULES].flatMap(([module, spec]) => spec.parsers.map((parser) => [`${module}.${parser}`, { module, library: spec.library }] as const)),
);
const LAST_NAMES: ReadonlySet<string> = new Set([...PARSE_FUNCTIONS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)));
/** Parser constructors: the document arrives later (`feed`, `parse`), so it is not known here. */
const CONSTRUCTORS: ReadonlySet<string> = new Set(["XMLParser", "XMLPullParser", "make_parser"]);

/** Modules that bring data from outside into a file: web frameworks, HTTP clients and servers, sockets. */
const OUTSIDE_DATA_MODULES: readonly string[] = [
  "flask", "django", "fastapi", "starlette", "quart", "sanic", "tornado", "aiohttp", "bottle", "pyramid", "falcon", "werkzeug", "litestar", "cherrypy",
  "requests", "httpx", "urllib.request", "urllib3", "http.client", "http.server", "pycurl", "socket", "socketserver",
];

/** Calls whose result is a path or file the program ships when their arguments are. */
const PATH_FUNCTIONS: ReadonlySet<string> = new Set([
  "os.path.join", "os.path.dirname", "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath", "pathlib.Path", "pathlib.PurePath",
  "str", "open", "io.open", "importlib.resources.files", "importlib.resources.open_text", "importlib.resources.open_binary",
  "importlib.resources.read_text", "importlib.resources.read_binary", "pkg_resources.resource_filename", "pkg_resources.resource_stream",
  "pkg_resources.resource_string", "pkgutil.get_data",
]);
const PATH_METHODS: ReadonlySet<string> = new Set(["joinpath", "resolve", "absolute", "open", "read_text", "read_bytes", "read", "with_name", "with_suffix"]);
const MODULE_CONSTANT = /^[A-Z][A-Z0-9_]*$/u;
const MAX_DEPTH = 6;

/**
 * True when an expression can only be data the program ships: constants, module constants
 * (`CONFIG_PATH`, `settings.SCHEMA_FILE`), `__file__`, and paths or files built from them
 * (`os.path.join(BASE_DIR, "map.xml")`, `Path(__file__).parent / "map.xml"`, `open(MAP_FILE)`).
 */
function isShippedData(context: RuleContext, node: SyntaxNode, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const expression = unparenthesize(node);
  if (context.analyses.constant(expression) !== undefined) return true;
  switch (expression.type) {
    case "identifier": {
      const name = expression.text;
      if (name === "__file__" || MODULE_CONSTANT.test(name)) return true;
      const bindings = context.analyses.scopes.bindingsOf(name, expression);
      const binding = bindings.length === 1 ? bindings[0] : undefined;
      if (!binding || (binding.kind !== "assignment" && binding.kind !== "with") || !binding.value || binding.node.startIndex >= expression.startIndex) return false;
      return isShippedData(context, binding.value, depth + 1);
    }
    case "attribute": {
      const attribute = field(expression, "attribute")?.text ?? "";
      if (MODULE_CONSTANT.test(attribute)) return true;
      const object = field(expression, "object");
      return object !== null && isShippedData(context, object, depth + 1);
    }
    case "binary_operator": {
      const left = field(expression, "left");
      const right = field(expression, "right");
      return left !== null && right !== null && isShippedData(context, left, depth + 1) && isShippedData(context, right, depth + 1);
    }
    case "string":
      return stringParts(expression).interpolations.every((part) => isShippedData(context, part, depth + 1));
    case "call": {
      const callee = field(expression, "function");
      if (!callee) return false;
      const args = callArguments(expression);
      const argumentsShipped = !args.hasSplat && [...args.positional, ...args.keywords.values()].every((argument) => isShippedData(context, argument, depth + 1));
      if (!argumentsShipped) return false;
      if (matchesQualified(context.analyses.resolve(callee), PATH_FUNCTIONS)) return true;
      if (callee.type !== "attribute") return false;
      const method = field(callee, "attribute")?.text ?? "";
      const receiver = field(callee, "object");
      return PATH_METHODS.has(method) && receiver !== null && isShippedData(context, receiver, depth + 1);
    }
    default:
      return false;
  }
}

interface ParseUse {
  call: SyntaxNode;
  document: SyntaxNode | null;
}

export const xmlParserImport: RuleModule = {
  meta: {
    id: "PG-DEP-011",
    name: "xml-parser-without-defusedxml",
    title: "XML from outside parsed with the standard library's or lxml's default parser instead of defusedxml",
    sections: ["G7", "C6", "G3"],
    cwe: [611, 776],
    defaultSeverity: "note",
    bandit: ["B405", "B406", "B407", "B408", "B409", "B410"],
    docs: {
      whatItDoes:
        "Reports, at the import, an XML module whose default parser expands entities (`xml.etree.ElementTree`, `xml.dom.minidom`, `xml.dom.pulldom`, `xml.dom.expatbuilder`, `xml.sax`, `lxml.etree`, `lxml.objectify`) when the file parses data that may come from outside with it: a parse function is called on a value that is not a constant or a file the program ships, and the file also imports a web framework, an HTTP client or server, or sockets. A hygiene note: request data that reaches such a parser is PG-INPUT-012's error.",
      whyIsThisBad:
        "XML can declare entities that expand into gigabytes (\"billion laughs\"), and lxml's default parser resolves entities, external ones too before lxml 5.0 (XXE: local files read into the document, URLs fetched from the server). Data from another service, a feed or an upload is as untrusted as request data. `defusedxml` has the same API and refuses these constructs.",
      example:
        'import xml.etree.ElementTree as ET\n\nimport requests\n\n\ndef func_fetchRates(feedUrl):\n    response = requests.get(feedUrl, timeout=10)\n    return ET.fromstring(response.content)',
      useInstead:
        'import defusedxml.ElementTree as ET\n\nimport requests\n\n\ndef func_fetchRates(feedUrl):\n    response = requests.get(feedUrl, timeout=10)\n    return ET.fromstring(response.content)',
      notes:
        "Not reported: files that only build or serialize XML (`Element`, `SubElement`, `tostring`), parse constants or the program's own files (`ET.parse(CONFIG_PATH)`, `os.path.join(BASE_DIR, \"map.xml\")`, `Path(__file__).parent / \"map.xml\"`), lxml calls given an explicit `parser`, files without network-facing imports (command-line tools reading the user's own files), and `defusedxml` itself. Parse calls on request data are left to PG-INPUT-012, so the two rules never report the same call.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);
    /** The first import statement of each XML module, by module path. */
    const imports = new Map<string, SyntaxNode>();
    const uses = new Map<string, ParseUse[]>();
    let xmlImported: boolean | undefined;

    return {
      import_statement: recordImport,
      import_from_statement(node) {
        aliases.visit(node);
        recordImport(node);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        xmlImported ??= context.analyses.importsModule("xml") || context.analyses.importsModule("lxml");
        if (!xmlImported) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || resolved.origin !== "import") return;
        const spec = PARSE_FUNCTIONS.get(resolved.name);
        if (!spec) return;
        const parser = resolved.name.slice(resolved.name.lastIndexOf(".") + 1);
        const args = callArguments(node);
        if (spec.library === "lxml" && (args.positional[1] || args.keywords.has("parser"))) return; // an explicit parser: PG-INPUT-012 judges its options
        let document: SyntaxNode | null = null;
        if (!CONSTRUCTORS.has(parser)) {
          document = args.positional[0] ?? args.keywords.get("source") ?? args.keywords.get("text") ?? args.keywords.get("string") ?? args.keywords.get("file") ?? null;
          if (!document) return;
          if (isShippedData(context, document, 0)) return;
          if (context.analyses.taint.sourceOf(document, "xml")) return; // request data: PG-INPUT-012's finding
        }
        const list = uses.get(spec.module);
        if (list) list.push({ call: node, document });
        else uses.set(spec.module, [{ call: node, document }]);
      },
      "module:exit"() {
        if (uses.size === 0) return;
        const outside = OUTSIDE_DATA_MODULES.find((module) => context.analyses.importsModule(module));
        if (!outside) return;
        // One finding per import statement, naming each of its modules that parses outside data.
        const byStatement = new Map<SyntaxNode, string[]>();
        for (const [module, list] of uses) {
          const statement = imports.get(module);
          const first = list[0];
          if (!statement || !first) continue;
          const parts = byStatement.get(statement) ?? [];
          parts.push(describeUse(module, first, outside));
          byStatement.set(statement, parts);
        }
        for (const [statement, parts] of byStatement) {
          context.report({ node: statement, message: `${parts.join("; ")}.` });
        }
      },
    };

    function recordImport(node: SyntaxNode): void {
      for (const { module } of importedModules(node)) {
        if (XML_MODULES.has(module) && !imports.has(module)) imports.set(module, node);
      }
    }
  },
};

function describeUse(module: string, use: ParseUse, outside: string): string {
  const library = XML_MODULES.get(module)?.library ?? "stdlib";
  const line = use.call.startPosition.row + 1;
  const what = use.document ? `parses \`${shorten(use.document.text)}\` (line ${line})` : `builds a parser (line ${line})`;
  const where = `in a module that imports \`${outside}\`, so the XML may come from outside`;
  return library === "stdlib"
    ? `\`${module}\` ${what} ${where}, and its expat parser expands the entities a document declares (billion laughs): parse such XML with \`${defusedName(module)}\` (same API)`
    : `\`${module}\` ${what} ${where}, and its default parser resolves entities, external ones too before lxml 5.0 (XXE): parse such XML with \`defusedxml.ElementTree\`, or pass \`parser=etree.XMLParser(resolve_entities=False, no_network=True)\``;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/gu, " ");
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

function defusedName(module: string): string {
  if (module.startsWith("xml.etree")) return "defusedxml.ElementTree";
  if (module === "xml.dom.minidom") return "defusedxml.minidom";
  if (module === "xml.dom.pulldom") return "defusedxml.pulldom";
  if (module === "xml.dom.expatbuilder") return "defusedxml.expatbuilder";
  return "defusedxml.sax";
}
