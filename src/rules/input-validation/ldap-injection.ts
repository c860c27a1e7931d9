import { argument, callArguments, calleeLastName, field, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";
import { constructionOf } from "./sink-support.js";

type Dialect = "python-ldap" | "ldap3";

/** Where a search method takes its base DN and its filter: [position, keyword]. */
interface Layout {
  base: readonly [number, string];
  filter: readonly [number, string];
}

const LAYOUTS: Readonly<Record<Dialect, Layout>> = {
  // search(base, scope, filterstr="(objectClass=*)", attrlist=None, ...)
  "python-ldap": { base: [0, "base"], filter: [2, "filterstr"] },
  // Connection.search(search_base, search_filter, search_scope=SUBTREE, ...)
  ldap3: { base: [0, "search_base"], filter: [1, "search_filter"] },
};

/** python-ldap only. */
const PYTHON_LDAP_METHODS: ReadonlySet<string> = new Set(["search_s", "search_st", "search_ext", "search_ext_s"]);
const LAST_NAMES: ReadonlySet<string> = new Set(["search", "paged_search", ...PYTHON_LDAP_METHODS]);

function dialectOf(context: RuleContext, receiver: SyntaxNode, method: string): Dialect | "both" | null {
  if (PYTHON_LDAP_METHODS.has(method)) return context.analyses.importsModule("ldap") ? "python-ldap" : null;
  const construction = constructionOf(context, receiver);
  if (construction) {
    if (construction.name.startsWith("ldap3.")) return "ldap3";
    if (construction.name.startsWith("ldap.")) return "python-ldap";
    return null;
  }
  const ldap3 = context.analyses.importsModule("ldap3");
  const pythonLdap = context.analyses.importsModule("ldap");
  if (ldap3 && pythonLdap) return "both";
  if (ldap3) return "ldap3";
  return pythonLdap ? "python-ldap" : null;
}

const FILTER_ADVICE: Readonly<Record<Dialect, string>> = {
  "python-ldap": "escape each value with `ldap.filter.escape_filter_chars(value)`, or build the filter with `ldap.filter.filter_format(\"(uid=%s)\", [value])`",
  ldap3: "escape each value with `ldap3.utils.conv.escape_filter_chars(value)`",
};
const DN_ADVICE: Readonly<Record<Dialect, string>> = {
  "python-ldap": "escape each value with `ldap.dn.escape_dn_chars(value)`, or find the entry with a filter on an escaped value",
  ldap3: "escape each value with `ldap3.utils.dn.escape_rdn(value)`, or find the entry with a filter on an escaped value",
};

export const ldapInjection: RuleModule = {
  meta: {
    id: "PG-INPUT-011",
    name: "ldap-injection",
    title: "Request data in an LDAP search filter or base DN",
    sections: ["G3", "C3"],
    cwe: [90],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports request data that reaches the filter (or the base DN) of an LDAP search without escaping: python-ldap `search`, `search_s`, `search_st`, `search_ext`, `search_ext_s`, and ldap3 `Connection.search` and `paged_search`.",
      whyIsThisBad:
        "LDAP filters are parsed like code. A value with `*`, `(`, `)` or `|` changes the query: `*` matches every entry, and `admin)(|(uid=*` turns a lookup of one user into a search that also matches others, which can bypass a login check or list the directory.",
      example:
        'import ldap\nfrom flask import request\n\ndef func_findUser(connection):\n    userName = request.args["user"]\n    return connection.search_s("ou=people,dc=example,dc=org", ldap.SCOPE_SUBTREE, f"(uid={userName})")',
      useInstead:
        'import ldap\nfrom ldap.filter import escape_filter_chars\nfrom flask import request\n\ndef func_findUser(connection):\n    userName = escape_filter_chars(request.args["user"])\n    return connection.search_s("ou=people,dc=example,dc=org", ldap.SCOPE_SUBTREE, f"(uid={userName})")',
      notes:
        "Not reported: values escaped with `escape_filter_chars` (python-ldap or ldap3), `ldap.filter.filter_format`, `escape_dn_chars`/`escape_rdn` for DNs, numbers and allow-listed values. `search` is taken for an LDAP search only when the file imports `ldap` or `ldap3` and the receiver is not a module (`re.search` is not). Data typed at a terminal (`input()`, `sys.argv`) is not counted.",
    },
  },
  create(context) {
    function check(call: SyntaxNode, args: CallArguments, dialect: Dialect, sinkName: string, certain: boolean): boolean {
      const layout = LAYOUTS[dialect];
      const filter = argument(args, layout.filter[0], layout.filter[1]);
      // Without a filter argument, a plain `search` is not read as an LDAP search (other libraries have `search(query)` too).
      if (!filter && !certain) return false;
      const filterSource = filter ? untrustedSource(context, filter, "ldap") : null;
      if (filter && filterSource) {
        context.report({
          node: call,
          message: `${describeFlow(context, filter, filterSource)} and reaches the LDAP filter of \`${sinkName}\` unescaped, so \`*\`, \`(\`, \`)\` and \`|\` in it rewrite the search: ${FILTER_ADVICE[dialect]}.`,
        });
        return true;
      }
      const base = argument(args, layout.base[0], layout.base[1]);
      const baseSource = base ? untrustedSource(context, base, "ldap") : null;
      if (!base || !baseSource) return false;
      context.report({
        node: call,
        message: `${describeFlow(context, base, baseSource)} and reaches the base DN of \`${sinkName}\` unescaped, so \`,\`, \`=\` and \`+\` in it move the search to another part of the directory: ${DN_ADVICE[dialect]}.`,
      });
      return true;
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !LAST_NAMES.has(lastName)) return;
        const callee = field(node, "function");
        if (callee?.type !== "attribute") return;
        const receiver = field(callee, "object");
        if (!receiver) return;
        const resolved = context.analyses.resolve(callee);
        if (resolved && resolved.origin === "import") return;
        const dialect = dialectOf(context, receiver, lastName);
        if (!dialect) return;
        const args = callArguments(node);
        const sinkName = snippet(callee);
        if (dialect === "both") {
          if (!check(node, args, "ldap3", sinkName, false)) check(node, args, "python-ldap", sinkName, false);
          return;
        }
        check(node, args, dialect, sinkName, PYTHON_LDAP_METHODS.has(lastName));
      },
    };
  },
};
