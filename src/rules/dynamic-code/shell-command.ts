import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import {
  ListAdditions,
  describeKind,
  examineString,
  firstDynamicStep,
  listValues,
  snippet,
  type BuildStep,
  type StringBuild,
} from "../support/string-building.js";
import { firstTaintedStep, taintNote } from "../support/taint-note.js";

/** Functions that always hand their command to a shell. */
const ALWAYS_SHELL = new Set([
  "os.system",
  "os.popen",
  "os.popen2",
  "os.popen3",
  "os.popen4",
  "posix.system",
  "popen2.popen2",
  "popen2.popen3",
  "popen2.popen4",
  "commands.getoutput",
  "commands.getstatusoutput",
  "subprocess.getoutput",
  "subprocess.getstatusoutput",
  "asyncio.create_subprocess_shell",
]);

/** subprocess functions that use a shell only with `shell=True`. */
const SHELL_OPTION = new Set(["subprocess.call", "subprocess.run", "subprocess.Popen", "subprocess.check_call", "subprocess.check_output"]);

const LAST_NAMES = new Set([
  "system",
  "popen",
  "popen2",
  "popen3",
  "popen4",
  "getoutput",
  "getstatusoutput",
  "create_subprocess_shell",
  "call",
  "run",
  "Popen",
  "check_call",
  "check_output",
]);

/** Quoting functions: a value passed through one is a single shell word. */
const QUOTING = new Set(["shlex.quote", "pipes.quote", "shlex.join"]);

/** Position of `shell` in `Popen(args, bufsize, executable, stdin, stdout, stderr, preexec_fn, close_fds, shell, ...)`. */
const SHELL_POSITION = 8;

type ShellUse = "always" | "true" | "maybe";

/** Programs that run their `-c` argument as a shell script: `["sh", "-c", script]`. */
const SHELL_PROGRAMS = /^(?:(?:\/usr)?\/bin\/)?(?:sh|bash|dash|zsh|ksh|ash)$/u;
const SCRIPT_FLAGS = new Set(["-c", "-lc", "-ec", "-xc"]);

/** The script of an argument list that starts a shell explicitly (`["bash", "-c", script]`), or null. */
function explicitShellScript(context: RuleContext, command: SyntaxNode): SyntaxNode | null {
  const list = unparenthesize(command);
  if (list.type !== "list" && list.type !== "tuple") return null;
  const [program, flag, script] = list.namedChildren.filter((child) => child.type !== "comment");
  if (!program || !flag || !script) return null;
  const programValue = context.analyses.constant(program)?.value;
  const flagValue = context.analyses.constant(flag)?.value;
  if (typeof programValue !== "string" || typeof flagValue !== "string") return null;
  return SHELL_PROGRAMS.test(programValue) && SCRIPT_FLAGS.has(flagValue) ? script : null;
}

function shellUse(context: RuleContext, name: string, args: CallArguments): ShellUse | null {
  if (ALWAYS_SHELL.has(name)) return "always";
  const shell = argument(args, SHELL_POSITION, "shell");
  if (!shell) return null;
  const value = context.analyses.constant(shell);
  if (!value) return "maybe";
  return value.value ? "true" : null;
}

/** With a shell, a list's first item is the command line (the rest are the shell's own arguments). */
function commandLine(context: RuleContext, command: SyntaxNode): SyntaxNode | null {
  let expression = unparenthesize(command);
  if (expression.type === "identifier") {
    const binding = context.analyses.scopes.bindingBefore(expression.text, expression);
    const value = binding?.kind === "assignment" ? binding.value : undefined;
    if (value && (value.type === "list" || value.type === "tuple")) expression = value;
  }
  if (expression.type === "list" || expression.type === "tuple") {
    return expression.namedChildren.find((child) => child.type !== "comment") ?? null;
  }
  return expression;
}

/**
 * Where untrusted data enters a shell command: the first construction (in source order) one of
 * whose values the taint analysis traces to a source, with the clause naming it; else, with no
 * step, the values that are the command as a whole; else the command line itself (a variable
 * that held request data before `+=` added to it). Null when nothing comes from a source.
 * Values quoted with `shlex.quote` are not asked about: the "shell" sink kind counts the quoting
 * as a sanitizer.
 */
function taintedPart(context: RuleContext, build: StringBuild, line: SyntaxNode): { step: BuildStep | undefined; note: string } | null {
  const tainted = firstTaintedStep(context, build, "shell");
  if (tainted) return tainted;
  for (const value of build.opaque) {
    const note = taintNote(context, value, "shell");
    if (note) return { step: undefined, note };
  }
  const note = taintNote(context, line, "shell");
  return note ? { step: undefined, note } : null;
}

export const shellCommandInjection: RuleModule = {
  meta: {
    id: "PG-DYN-004",
    name: "shell-command-injection",
    title: "Shell command built from values that are not constants",
    sections: ["G4", "C3"],
    cwe: [78],
    defaultSeverity: "error",
    bandit: ["B602", "B604", "B605"],
    docs: {
      whatItDoes:
        "Reports commands that run through a shell and are not constants: `os.system`, `os.popen*`, `commands.*`, `subprocess.getoutput`/`getstatusoutput`, `asyncio.create_subprocess_shell`, `subprocess.call`/`run`/`Popen`/`check_call`/`check_output` with `shell=True`, and argument lists that start a shell themselves (`[\"bash\", \"-c\", script]`).",
      whyIsThisBad:
        "The shell reads the whole string as a script. A value with `;`, `|`, `$(...)` or a backtick in it adds commands of the attacker's choosing, which run with the program's rights.",
      example:
        'import os\n\nfrom flask import request\n\n@app.route("/ping")\ndef func_ping():\n    host = request.args["host"]\n    return {"status": os.system(f"ping -c 1 {host}")}',
      useInstead:
        'import subprocess\n\nfrom flask import request\n\n@app.route("/ping")\ndef func_ping():\n    host = request.args["host"]\n    # An argument list runs the program directly: no shell parses `host`.\n    return {"status": subprocess.run(["ping", "-c", "1", "--", host], check=True).returncode}',
      notes:
        "Argument lists without a shell and constant commands (also through names bound only to constants) are not reported, nor values that are numbers (`int(x)`, `len(x)`). `shell=` is evaluated as a constant: `shell=useShell` with `useShell = True` counts; a `shell` value that is not constant gives a `warning`. A command whose every non-constant part is passed through `shlex.quote` (or is `shlex.join(...)`) is reported as a `note` only: the quoting is right for POSIX shells, but an argument list without a shell needs no quoting at all and also works on Windows, where `shlex.quote` does not protect `cmd.exe`. Names in capitals are configuration by convention and count as constants (`f\"{EDITOR_COMMAND} notes.txt\"`). A command assembled in a list with `append` and then `\" \".join(parts)` is followed; a call that spreads `**kwargs` (where `shell` could hide) is not reported. The severity is `error` when the command goes to a shell for sure and the taint analysis sees a value in it come from request data, `input()`, `sys.argv` or another untrusted source (the message names it), and `warning` for other values that are not constants, such as a function's parameter, whose callers the analysis does not follow, or a setting; with a `shell` value that is not constant it stays a `warning`, naming the source when there is one.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);
    const additions = new ListAdditions(context.analyses);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (ListAdditions.handles(lastName)) {
          additions.record(node, lastName);
          return;
        }
        if (!aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || (!matchesQualified(resolved, ALWAYS_SHELL) && !matchesQualified(resolved, SHELL_OPTION))) return;
        const args = callArguments(node);
        const command = args.positional[0] ?? args.keywords.get("args") ?? args.keywords.get("cmd") ?? args.keywords.get("command");
        if (!command) return;
        let use = shellUse(context, resolved.name, args);
        let line: SyntaxNode | null = null;
        if (use) {
          line = commandLine(context, command);
        } else if (SHELL_OPTION.has(resolved.name)) {
          line = explicitShellScript(context, command);
          if (line) use = "true";
        }
        if (!use || !line) return;
        const build = examineString(context.analyses, line, { quoting: QUOTING, additions });
        if (build.incomplete) return;
        // A command built from request data or another source is an error; one built from other
        // values that are not constants (a parameter, a setting) a warning, as is a `shell` option
        // that is not constant. The message describes the construction that inserts the tainted value.
        const first = firstDynamicStep(build);
        const taint = first || build.opaque.length > 0 ? taintedPart(context, build, line) : null;
        const step = taint?.step ?? first;
        const subject = `\`${resolved.name}\` ${use === "maybe" ? "may run" : "runs"}`;
        const shell = use === "maybe" ? `through a shell (\`shell=${snippet(argument(args, SHELL_POSITION, "shell") ?? line)}\`)` : "through a shell";
        let severity: Severity = use !== "maybe" && taint ? "error" : "warning";
        let message: string;
        let example = "value";
        if (step) {
          const how = describeKind(step.kind);
          const where = step.node.startPosition.row === node.startPosition.row ? "" : ` on line ${step.node.startPosition.row + 1}`;
          const values = listValues(step.dynamic);
          const value = step.dynamic[0];
          if (value && value.type === "identifier") example = value.text;
          message = step.variable
            ? `${subject} \`${snippet(line)}\` ${shell}, and \`${step.variable}\` is built with ${how}${where} from ${values}`
            : `${subject} a command built with ${how}${where} from ${values} ${shell}`;
        } else if (build.opaque.length > 0) {
          message = `${subject} \`${snippet(line)}\`, which is not a constant, ${shell}`;
        } else {
          const quoted = [...build.quoted, ...build.steps.flatMap((each) => each.quoted)];
          if (quoted.length === 0) return;
          severity = "note";
          message = `${subject} a command ${shell} whose values are quoted with ${listValues(quoted, 2)}; the quoting holds for POSIX shells only`;
        }
        if (taint) message = `${message}; ${taint.note}`;
        context.report({
          node,
          severity,
          message: `${message}. Run the program with an argument list and no shell: \`subprocess.run(["program", ${example}], check=True)\`.`,
        });
      },
    };
  },
};
