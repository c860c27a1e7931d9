import { argument, callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";

const FUNCTIONS = ["compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split"];
const REGEX_FUNCTIONS: ReadonlySet<string> = new Set(["re", "regex"].flatMap((module) => FUNCTIONS.map((name) => `${module}.${name}`)));
const LAST_NAMES: ReadonlySet<string> = new Set(FUNCTIONS);
/** Django QuerySet calls whose `field__regex=` lookups run a pattern in the database (`get` only on a manager: `Model.objects.get`). */
const LOOKUP_CALLS: ReadonlySet<string> = new Set(["filter", "exclude", "get", "Q", "get_object_or_404", "get_list_or_404"]);
/** Cheap text test before the keywords are read. */
const HAS_REGEX_LOOKUP = /__i?regex\s*=/u;
const REGEX_LOOKUP = /__i?regex$/u;

const ADVICE =
  "escape it with `re.escape(value)` to match it as plain text (or use `value in text`), or check it against an allow-list of patterns";

export const regexInjection: RuleModule = {
  meta: {
    id: "PG-INPUT-014",
    name: "regex-injection",
    title: "Request data used as a regular expression",
    sections: ["G3", "C3"],
    cwe: [1333, 730],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports request data used as the pattern of `re` (and `regex`) functions: `compile`, `match`, `search`, `fullmatch`, `findall`, `finditer`, `sub`, `subn`, `split`, and Django `__regex`/`__iregex` lookups. Only the pattern argument counts: searching request data with a constant pattern is fine.",
      whyIsThisBad:
        "A pattern such as `(a+)+$` takes exponential time on a short string that almost matches (ReDoS): one request holds a worker for minutes. Metacharacters in a value meant as text also change what matches, so a search for `.*` matches everything.",
      example:
        'import re\nfrom flask import request\n\n@app.route("/search")\ndef func_search():\n    term = request.args["q"]\n    return {"hits": [line for line in LINES if re.search(term, line)]}',
      useInstead:
        'import re\nfrom flask import request\n\n@app.route("/search")\ndef func_search():\n    term = re.compile(re.escape(request.args["q"]))\n    return {"hits": [line for line in LINES if term.search(line)]}',
      notes:
        "Not reported: values passed through `re.escape` (also inside a larger pattern, `f\"^{re.escape(x)}$\"`), numbers and allow-listed values, and request data as the *subject* of a match. Python's `re` has no timeout; where users must write patterns, use the `re2` bindings (linear time) and still limit the length. Data typed at a terminal (`input()`, `sys.argv`) is not counted.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);
    let django: boolean | undefined;

    function report(call: SyntaxNode, pattern: SyntaxNode, sinkName: string, lookup: boolean): boolean {
      const source = untrustedSource(context, pattern, "regex");
      if (!source) return false;
      const what = lookup
        ? `is used as the pattern of the database lookup \`${sinkName}\`, where a crafted pattern is slow (ReDoS) or matches every row`
        : `is compiled as a regular expression by \`${sinkName}\`: a pattern such as \`(a+)+$\` takes exponential time (ReDoS) and metacharacters change what matches`;
      const advice = lookup ? "match text with `__icontains` or `__iexact` instead, or check the pattern against an allow-list" : ADVICE;
      context.report({ node: call, message: `${describeFlow(context, pattern, source)} and ${what}; ${advice}.` });
      return true;
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (LOOKUP_CALLS.has(lastName)) {
          django ??= context.analyses.importsModule("django");
          if (!django) return;
          const list = field(node, "arguments");
          if (!list || !HAS_REGEX_LOOKUP.test(list.text)) return;
          const args = callArguments(node);
          for (const [keyword, value] of args.keywords) {
            if (REGEX_LOOKUP.test(keyword) && report(node, value, `${lastName}(${keyword}=...)`, true)) return;
          }
          return;
        }
        if (!aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || resolved.origin === "local" || !REGEX_FUNCTIONS.has(resolved.name)) return;
        const pattern = argument(callArguments(node), 0, "pattern");
        if (pattern) report(node, pattern, snippet(callee), false);
      },
    };
  },
};
