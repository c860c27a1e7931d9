import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, field } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { taintNote } from "../support/taint-note.js";

const EVALUATORS = new Set(["eval", "exec", "compile", "builtins.eval", "builtins.exec", "builtins.compile"]);

export const evalExec: RuleModule = {
  meta: {
    id: "PG-DYN-001",
    name: "eval-exec-on-dynamic-input",
    title: "eval, exec or compile on a value that is not a constant",
    sections: ["G4", "C3"],
    cwe: [95],
    defaultSeverity: "error",
    bandit: ["B102", "B307"],
    docs: {
      whatItDoes: "Reports calls to `eval`, `exec` and `compile` whose code argument is not a constant string.",
      whyIsThisBad:
        "The argument runs as Python code with the program's full rights. When any part of it comes from a request, a file or another process, an attacker who controls that part runs code on the server.",
      example: 'from flask import request\n\n@app.route("/calculate")\ndef func_calculate():\n    expression = request.args["expression"]\n    return {"result": eval(expression)}',
      useInstead:
        'import ast\n\nfrom flask import request\n\n@app.route("/calculate")\ndef func_calculate():\n    expression = request.args["expression"]\n    # Accepts literals only: numbers, strings, tuples, lists, dicts.\n    return {"result": ast.literal_eval(expression)}',
      notes:
        "Constant code (`exec(\"import x\")`) is not reported. `ast.literal_eval` is the safe way to read Python literals. The severity is `error` when the taint analysis sees the code come from request data, `input()`, `sys.argv` or another untrusted source (the message names it), and `warning` for other values that are not constants, such as a function's parameter, whose callers the analysis does not follow.",
    },
  },
  create(context) {
    return {
      call(node) {
        const callee = field(node, "function");
        if (!callee || !matchesQualified(context.analyses.resolve(callee), EVALUATORS)) return;
        const args = callArguments(node);
        const code = args.positional[0] ?? args.keywords.get("source");
        if (!code || context.analyses.constant(code)) return;
        const name = callee.text.split(".").pop() ?? "eval";
        // Code from a request or another source is an error; any other value that is not a constant a warning.
        const tainted = taintNote(context, code, "code");
        context.report({
          node,
          severity: tainted ? "error" : "warning",
          message: `\`${name}\` runs code built at run time from \`${code.text.slice(0, 60)}\`${tainted ? ` (${tainted})` : ""}; parse the data instead (for example \`ast.literal_eval\` or \`json.loads\`).`,
        });
      },
    };
  },
};
