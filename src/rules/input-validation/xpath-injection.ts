import { argument, callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";
import { constantText, constructionOf, madeBy } from "./sink-support.js";

/** lxml constructors that compile an XPath expression: `etree.XPath(expr)`. */
const XPATH_COMPILERS: ReadonlySet<string> = new Set(["lxml.etree.XPath", "lxml.etree.ETXPath"]);
/** lxml evaluators: `XPathEvaluator(doc)(expr)`. */
const XPATH_EVALUATORS: ReadonlySet<string> = new Set([
  "lxml.etree.XPathEvaluator", "lxml.etree.XPathDocumentEvaluator", "lxml.etree.XPathElementEvaluator",
]);
/** ElementTree methods that take an ElementPath expression. */
const ELEMENT_PATH_METHODS: ReadonlySet<string> = new Set(["find", "findall", "findtext", "iterfind"]);
const NO_NAMES: ReadonlySet<string> = new Set();
const XML_MODULES = ["xml.etree.", "lxml.etree.", "lxml.objectify.", "lxml.html.", "defusedxml.ElementTree.", "defusedxml.cElementTree.", "defusedxml.lxml."];
/** Methods that keep an object an element or a tree (`tree.getroot()`, `root.find("x")`). */
const ELEMENT_METHODS: ReadonlySet<string> = new Set(["getroot", "find", "iter", "iterfind", "findall", "getparent", "getnext", "getprevious", "xpath"]);
const LAST_NAMES: ReadonlySet<string> = new Set(["xpath", "XPath", "ETXPath", "evaluate", ...ELEMENT_PATH_METHODS]);
/** ElementPath or XPath syntax in the constant part of a built expression. */
const PATH_SYNTAX = /\[@|\.\/\/?|\/\/|\[\w+\s*=|\[text\(\)/u;

/** True when the receiver of `find`/`findall` is an ElementTree or lxml element or tree. */
function isXmlNode(context: RuleContext, receiver: SyntaxNode, expression: SyntaxNode): boolean {
  const construction = constructionOf(context, receiver);
  if (construction) {
    if (!madeBy(construction, NO_NAMES, XML_MODULES)) return false;
    return construction.methods.every((method) => ELEMENT_METHODS.has(method));
  }
  // A parameter or attribute we cannot follow: an XML library is imported and the expression reads like a path.
  const xml = context.analyses.importsModule("xml.etree") || context.analyses.importsModule("lxml") || context.analyses.importsModule("defusedxml");
  return xml && PATH_SYNTAX.test(constantText(context, expression));
}

export const xpathInjection: RuleModule = {
  meta: {
    id: "PG-INPUT-010",
    name: "xpath-injection",
    title: "Request data in an XPath or ElementPath expression",
    sections: ["G3", "C3"],
    cwe: [643],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports request data that reaches the expression of an XPath query: lxml `xpath(...)` on elements and trees, `etree.XPath(...)`/`ETXPath(...)`, `XPathEvaluator(doc)(...)`, and the ElementPath expression of ElementTree's `find`, `findall`, `findtext` and `iterfind`.",
      whyIsThisBad:
        "The value becomes part of the query's syntax. A quote ends the string literal, and the rest is XPath: `' or '1'='1` makes a login lookup match every user, and `']|//*|x['` reads the whole document. ElementPath has fewer operators, but a crafted value still selects other elements than intended.",
      example:
        'from flask import Flask, request\nfrom lxml import etree\n\nUSERS = etree.parse("users.xml")\n\n@app.route("/user")\ndef func_user():\n    name = request.args["name"]\n    return str(USERS.xpath(f"//user[@name=\'{name}\']/email/text()"))',
      useInstead:
        'from flask import Flask, request\nfrom lxml import etree\n\nUSERS = etree.parse("users.xml")\n\n@app.route("/user")\ndef func_user():\n    # An XPath variable is a value, never syntax.\n    return str(USERS.xpath("//user[@name=$name]/email/text()", name=request.args["name"]))',
      notes:
        "Not reported: constant expressions, values passed as XPath variables (`tree.xpath(\"//a[@id=$id]\", id=value)`, `XPath(\"...$id\")(tree, id=value)`), numbers (`int(...)`) and allow-listed values. ElementPath has no variables: compare in Python (`[el for el in root.iter(\"user\") if el.get(\"name\") == name]`). `find`/`findall` are reported only on objects made by `xml.etree`, `lxml` or `defusedxml` (or on parameters, when such a library is imported and the expression reads like a path), so `str.find` and BeautifulSoup's `find` are left alone. Data typed at a terminal (`input()`, `sys.argv`) is not counted.",
    },
  },
  create(context) {
    /** Names bound to an lxml XPath evaluator: calling one evaluates its argument. */
    const evaluators = new Set<string>();

    function check(call: SyntaxNode, expression: SyntaxNode | undefined, sinkName: string, elementPath: boolean): void {
      if (!expression) return;
      const source = untrustedSource(context, expression, "xpath");
      if (!source) return;
      const advice = elementPath
        ? "ElementPath has no variables: select the elements with a constant path and compare in Python (`[el for el in root.iter(\"user\") if el.get(\"name\") == name]`), or check the value against an allow-list"
        : "pass it as an XPath variable instead (`tree.xpath(\"//user[@name=$name]\", name=value)`), which is never parsed as syntax";
      context.report({
        node: call,
        message: `${describeFlow(context, expression, source)} and becomes part of the ${elementPath ? "ElementPath" : "XPath"} expression of \`${sinkName}\`, so quotes and operators in it change the query: ${advice}.`,
      });
    }

    return {
      call(node) {
        const callee = field(node, "function");
        if (!callee) return;
        if (callee.type === "identifier" && evaluators.size > 0 && evaluators.has(callee.text)) {
          check(node, callArguments(node).positional[0], callee.text, false);
          return;
        }
        const lastName = calleeLastName(node);
        if (lastName === null) {
          // `etree.XPathEvaluator(doc)(expr)`
          if (callee.type === "call") {
            const inner = field(callee, "function");
            const resolved = inner ? context.analyses.resolve(inner) : null;
            if (resolved && resolved.origin !== "local" && XPATH_EVALUATORS.has(resolved.name)) check(node, callArguments(node).positional[0], snippet(callee), false);
          }
          return;
        }
        if (lastName === "XPathEvaluator" || lastName === "XPathDocumentEvaluator" || lastName === "XPathElementEvaluator") {
          const resolved = context.analyses.resolve(callee);
          if (resolved && resolved.origin !== "local" && XPATH_EVALUATORS.has(resolved.name)) {
            const assignment = node.parent;
            const target = assignment?.type === "assignment" ? field(assignment, "left") : null;
            if (target?.type === "identifier") evaluators.add(target.text);
          }
          return;
        }
        if (!LAST_NAMES.has(lastName)) return;
        const args = callArguments(node);
        if (lastName === "XPath" || lastName === "ETXPath") {
          const resolved = context.analyses.resolve(callee);
          if (resolved && resolved.origin !== "local" && XPATH_COMPILERS.has(resolved.name)) check(node, argument(args, 0, "path"), snippet(callee), false);
          return;
        }
        if (callee.type !== "attribute") return;
        const receiver = field(callee, "object");
        if (!receiver) return;
        const resolved = context.analyses.resolve(callee);
        // A module function (`re.findall`, `etree.xpath`) is not a method of an element.
        if (resolved && resolved.origin === "import") return;
        if (lastName === "xpath") {
          check(node, argument(args, 0, "_path"), snippet(callee), false);
          return;
        }
        if (lastName === "evaluate") {
          const construction = constructionOf(context, receiver);
          if (construction && XPATH_EVALUATORS.has(construction.name) && construction.methods.length === 0) check(node, args.positional[0], snippet(callee), false);
          return;
        }
        const expression = argument(args, 0, "path");
        if (!expression || !isXmlNode(context, receiver, expression)) return;
        check(node, expression, snippet(callee), true);
      },
    };
  },
};
