import { argument, callArguments, calleeLastName, field, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";
import { constantText, constructionOf, valueOf, type Construction } from "./sink-support.js";

type Library = "stdlib" | "lxml";

interface ParseFunction {
  library: Library;
  /** Takes a file (name, object or, for lxml, URL) rather than the document's text. */
  file?: boolean;
  /** Where the document (text, file or URL) is passed. */
  document: readonly [number, string];
  /** Where an lxml parser may be passed; absent for the standard library. */
  parser?: readonly [number, string];
  /** lxml functions that take parser options directly (`iterparse(source, resolve_entities=False)`). */
  options?: boolean;
}

const STDLIB_MODULES = ["xml.etree.ElementTree", "xml.etree.cElementTree"];
const LXML_MODULES = ["lxml.etree", "lxml.objectify"];

function table(): Map<string, ParseFunction> {
  const result = new Map<string, ParseFunction>();
  for (const module of STDLIB_MODULES) {
    result.set(`${module}.fromstring`, { library: "stdlib", document: [0, "text"] });
    result.set(`${module}.XML`, { library: "stdlib", document: [0, "text"] });
    result.set(`${module}.fromstringlist`, { library: "stdlib", document: [0, "sequence"] });
    result.set(`${module}.parse`, { library: "stdlib", document: [0, "source"], file: true });
    result.set(`${module}.iterparse`, { library: "stdlib", document: [0, "source"], file: true });
  }
  result.set("xml.dom.minidom.parseString", { library: "stdlib", document: [0, "string"] });
  result.set("xml.dom.minidom.parse", { library: "stdlib", document: [0, "file"], file: true });
  result.set("xml.dom.pulldom.parseString", { library: "stdlib", document: [0, "string"] });
  result.set("xml.dom.pulldom.parse", { library: "stdlib", document: [0, "stream_or_string"], file: true });
  result.set("xml.sax.parseString", { library: "stdlib", document: [0, "string"] });
  result.set("xml.sax.parse", { library: "stdlib", document: [0, "source"], file: true });
  result.set("xml.dom.expatbuilder.parseString", { library: "stdlib", document: [0, "string"] });
  for (const module of LXML_MODULES) {
    result.set(`${module}.fromstring`, { library: "lxml", document: [0, "text"], parser: [1, "parser"] });
    result.set(`${module}.XML`, { library: "lxml", document: [0, "text"], parser: [1, "parser"] });
    result.set(`${module}.fromstringlist`, { library: "lxml", document: [0, "strings"], parser: [1, "parser"] });
    result.set(`${module}.parse`, { library: "lxml", document: [0, "source"], parser: [1, "parser"], file: true });
  }
  result.set("lxml.etree.iterparse", { library: "lxml", document: [0, "source"], options: true, file: true });
  return result;
}

const PARSE_FUNCTIONS: ReadonlyMap<string, ParseFunction> = table();

/** Parser objects fed with `.feed(data)` (or, for SAX, `.parse(source)`). */
const STDLIB_PARSERS: ReadonlySet<string> = new Set([
  ...STDLIB_MODULES.flatMap((module) => [`${module}.XMLParser`, `${module}.XMLPullParser`]),
  "xml.sax.make_parser", "xml.sax.expatreader.create_parser", "xml.parsers.expat.ParserCreate",
]);
const LXML_PARSERS: ReadonlySet<string> = new Set(["lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.objectify.makeparser"]);
/** lxml parsers that do not read XML entities at all. */
const LXML_HTML_PARSERS: ReadonlySet<string> = new Set(["lxml.etree.HTMLParser", "lxml.html.HTMLParser", "lxml.html.XHTMLParser", "lxml.etree.HTMLPullParser"]);

const LAST_NAMES: ReadonlySet<string> = new Set([...PARSE_FUNCTIONS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)));
const FEED_METHODS: ReadonlySet<string> = new Set(["feed", "Parse", "ParseFile"]);

/** Why lxml options leave a parser open, or null when `resolve_entities=False` closes it. */
function lxmlOptionsProblem(context: RuleContext, args: CallArguments): string | null {
  const hugeTree = args.keywords.get("huge_tree");
  if (hugeTree && context.analyses.constant(hugeTree)?.value === true) return "`huge_tree=True` lifts libxml2's limits on entity expansion and depth";
  const resolve = args.keywords.get("resolve_entities");
  if (!resolve) return args.hasSplat ? null : "it resolves entities (`resolve_entities` is not `False`)";
  const value = context.analyses.constant(resolve)?.value;
  if (value === false) return null;
  if (value === undefined) return null;
  return value === true ? "`resolve_entities=True` expands entities, external ones included" : "it resolves entities (`resolve_entities` is not `False`)";
}

/** For an lxml parse call: why its parser is unsafe, or null when it is safe or cannot be judged. */
function lxmlParserProblem(context: RuleContext, parser: SyntaxNode | undefined): string | null {
  if (!parser) return "the default parser resolves entities (external ones too before lxml 5.0)";
  const construction = constructionOf(context, parser);
  if (!construction || construction.methods.length > 0 || !construction.call) return null;
  if (LXML_HTML_PARSERS.has(construction.name)) return null;
  if (!LXML_PARSERS.has(construction.name)) return null;
  return lxmlOptionsProblem(context, callArguments(construction.call));
}

/** Calls that build a file path from pieces. */
const PATH_BUILDERS: ReadonlySet<string> = new Set(["os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "os.path.abspath", "os.path.realpath", "os.path.normpath"]);
/** Sources that carry a file or a body: parsed whatever the path looks like. */
const CONTENT_SOURCE = /^request\.(?:files|FILES|data|body|stream|get_data\(\)|read\(\)|get_json\(\)|json)$/u;

/**
 * A file name built from a folder and request data (`os.path.join(DATA_DIR, name)`, `BASE / name`,
 * `f"/srv/xml/{name}.xml"`): the request picks one of the server's files, whose content it does
 * not control (path traversal is PG-INPUT-001's).
 */
function isBuiltPath(context: RuleContext, document: SyntaxNode): boolean {
  const value = valueOf(context, document);
  if (value.type === "binary_operator" && field(value, "operator")?.text === "/") return true;
  if (value.type === "call") {
    const callee = field(value, "function");
    const resolved = callee && (callee.type === "identifier" || callee.type === "attribute") ? context.analyses.resolve(callee) : null;
    return resolved !== null && resolved.origin !== "local" && PATH_BUILDERS.has(resolved.name);
  }
  if (value.type === "string" || value.type === "binary_operator") return /^\/|^[\w.-]+\//u.test(constantText(context, value));
  return false;
}

const STDLIB_ADVICE =
  "parse untrusted XML with `defusedxml` (`defusedxml.ElementTree.fromstring`, `defusedxml.minidom.parseString`, `defusedxml.sax.parseString`), which refuses entity declarations and DTDs";
const LXML_ADVICE =
  "parse it with `defusedxml.ElementTree`, or give lxml a parser that does not resolve entities or fetch anything: `etree.XMLParser(resolve_entities=False, no_network=True)`";

export const xmlUntrustedParser: RuleModule = {
  meta: {
    id: "PG-INPUT-012",
    name: "xml-untrusted-parser",
    title: "Untrusted XML parsed by a parser open to entity expansion",
    sections: ["G3", "C3", "G7"],
    cwe: [611, 776],
    defaultSeverity: "error",
    bandit: ["B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"],
    docs: {
      whatItDoes:
        "Reports request data (an upload, the request body, a form field) parsed as XML by a parser that expands entities: `xml.etree.ElementTree` (`fromstring`, `XML`, `parse`, `iterparse`, `XMLParser().feed`), `xml.dom.minidom`/`pulldom` (`parse`, `parseString`), `xml.sax` (`parse`, `parseString`, `make_parser().parse`), and lxml (`etree.fromstring`, `XML`, `parse`, `iterparse`, `objectify`) with the default parser or a parser without `resolve_entities=False`.",
      whyIsThisBad:
        "An XML document can declare entities that expand into other entities: a few hundred bytes (\"billion laughs\") grow into gigabytes of memory and stop the server. lxml before 5.0 also resolves external entities, so `<!ENTITY x SYSTEM \"file:///etc/passwd\">` reads local files into the parsed document and `http://` entities make the server fetch URLs (XXE, SSRF).",
      example:
        'import xml.etree.ElementTree as ET\nfrom flask import request\n\n@app.route("/import", methods=["POST"])\ndef func_import():\n    root = ET.fromstring(request.get_data())\n    return {"items": len(root)}',
      useInstead:
        'import defusedxml.ElementTree as ET\nfrom flask import request\n\n@app.route("/import", methods=["POST"])\ndef func_import():\n    root = ET.fromstring(request.get_data())\n    return {"items": len(root)}',
      notes:
        "Not reported: `defusedxml` (any module, and the standard library in a file that calls `defusedxml.defuse_stdlib()`), lxml parsers built with `resolve_entities=False` (unless `huge_tree=True`), lxml's HTML parsers, files the request only picks by name among the server's own (`ET.parse(os.path.join(DATA_DIR, name))`: path traversal is PG-INPUT-001's), and XML that does not come from the request (configuration and data files the program ships: whether they are trusted is a decision, not a bug; another rule covers the imports). The standard library's expat does not fetch external entities since Python 3.7.1, and recent expat versions limit expansion, but `defusedxml` is still the documented way to parse untrusted XML. A parser passed in as a parameter is not judged. Data typed at a terminal (`input()`, `sys.argv`) is not counted.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);

    /** `defusedxml.defuse_stdlib()` patches the standard library's parsers for the whole process. */
    const defused = context.source.includes("defuse_stdlib");

    function report(call: SyntaxNode, document: SyntaxNode, library: Library, sinkName: string, problem: string | null, file = false): void {
      if (library === "stdlib" && defused) return;
      const source = untrustedSource(context, document, "xml");
      if (!source) return;
      if (file && !CONTENT_SOURCE.test(source.label) && isBuiltPath(context, document)) return;
      const why =
        library === "stdlib"
          ? "whose expat parser expands the entities the document declares (billion laughs)"
          : `whose parser is open: ${problem ?? "it resolves entities"}`;
      context.report({
        node: call,
        message: `${describeFlow(context, document, source)} and is parsed as XML by \`${sinkName}\`, ${why}: ${library === "stdlib" ? STDLIB_ADVICE : LXML_ADVICE}.`,
      });
    }

    function checkFeed(call: SyntaxNode, receiver: SyntaxNode, method: string, sinkName: string): void {
      const construction: Construction | null = constructionOf(context, receiver);
      if (!construction?.call || construction.methods.length > 0) return;
      const data = callArguments(call).positional[0];
      if (!data) return;
      if (STDLIB_PARSERS.has(construction.name)) {
        report(call, data, "stdlib", sinkName, null);
        return;
      }
      if (method !== "feed" || !LXML_PARSERS.has(construction.name)) return;
      const problem = lxmlOptionsProblem(context, callArguments(construction.call));
      if (problem) report(call, data, "lxml", sinkName, problem);
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (FEED_METHODS.has(lastName) || lastName === "parse") {
          if (callee.type === "attribute") {
            const receiver = field(callee, "object");
            const resolved = context.analyses.resolve(callee);
            if (receiver && (!resolved || resolved.origin === "local")) {
              checkFeed(node, receiver, lastName, snippet(callee));
              return;
            }
          }
          if (lastName !== "parse") return;
        }
        if (!aliases.has(lastName)) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || resolved.origin === "local") return;
        const spec = PARSE_FUNCTIONS.get(resolved.name);
        if (!spec) return;
        const args = callArguments(node);
        const document = argument(args, spec.document[0], spec.document[1]);
        if (!document) return;
        if (spec.library === "stdlib") {
          report(node, document, "stdlib", snippet(callee), null, spec.file);
          return;
        }
        const problem = spec.options ? lxmlOptionsProblem(context, args) : lxmlParserProblem(context, spec.parser ? argument(args, spec.parser[0], spec.parser[1]) : undefined);
        if (problem) report(node, document, "lxml", snippet(callee), problem, spec.file);
      },
    };
  },
};
