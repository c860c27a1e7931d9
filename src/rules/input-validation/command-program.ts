import type { TaintSource } from "../../engine/analyses/taint.js";
import { argument, callArguments, calleeLastName, field, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";
import { valueOf } from "./sink-support.js";

/** How a process-starting function takes its program and arguments. */
interface Spec {
  /** "list": one argument that is the whole command line (a list, or a string that names the program); "path": the program apart. */
  style: "list" | "path";
  /** Position (and keyword) of the command list (style "list") or of the program path (style "path"). */
  program: readonly [number, string];
  /** Style "path": where the arguments are, as one list or as the remaining positional arguments, and whether they start with argv[0] (the program's own name). */
  argv?: { position: number; variadic: boolean; skipName: boolean };
  /** subprocess functions: `shell=True` makes the call PG-DYN-004's. */
  subprocess?: boolean;
}

const SUBPROCESS: Spec = { style: "list", program: [0, "args"], subprocess: true };

function family(names: readonly string[], spec: Spec): Array<[string, Spec]> {
  return names.map((name) => [`os.${name}`, spec]);
}

const SPECS: ReadonlyMap<string, Spec> = new Map<string, Spec>([
  ["subprocess.run", SUBPROCESS],
  ["subprocess.call", SUBPROCESS],
  ["subprocess.Popen", SUBPROCESS],
  ["subprocess.check_call", SUBPROCESS],
  ["subprocess.check_output", SUBPROCESS],
  ["pty.spawn", { style: "list", program: [0, "argv"] }],
  ["asyncio.create_subprocess_exec", { style: "path", program: [0, "program"], argv: { position: 1, variadic: true, skipName: false } }],
  ...family(["execv", "execve", "execvp", "execvpe"], { style: "path", program: [0, "path"], argv: { position: 1, variadic: false, skipName: true } }),
  ...family(["execl", "execle", "execlp", "execlpe"], { style: "path", program: [0, "file"], argv: { position: 1, variadic: true, skipName: true } }),
  ...family(["spawnv", "spawnve", "spawnvp", "spawnvpe"], { style: "path", program: [1, "file"], argv: { position: 2, variadic: false, skipName: true } }),
  ...family(["spawnl", "spawnle", "spawnlp", "spawnlpe"], { style: "path", program: [1, "file"], argv: { position: 2, variadic: true, skipName: true } }),
  ...family(["posix_spawn", "posix_spawnp"], { style: "path", program: [0, "path"], argv: { position: 1, variadic: false, skipName: true } }),
]);

const LAST_NAMES: ReadonlySet<string> = new Set([...SPECS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)));

/** Programs that run the program named after their options: `sudo cmd`, `env VAR=1 cmd`, `timeout 5 cmd`. */
const WRAPPERS: ReadonlySet<string> = new Set(["env", "sudo", "doas", "nice", "ionice", "nohup", "timeout", "stdbuf", "xargs", "chrt", "taskset", "setsid", "time"]);

/** Interpreters and the flags after which the next argument is a script. */
const INTERPRETERS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ...["sh", "bash", "dash", "zsh", "ksh", "ash", "fish", "csh", "tcsh"].map((name): [string, ReadonlySet<string>] => [name, new Set(["-c", "-lc", "-ec", "-xc", "-ic"])]),
  ...["cmd", "cmd.exe"].map((name): [string, ReadonlySet<string>] => [name, new Set(["/c", "/C", "/k", "/K", "/s/c", "/S/C"])]),
  ...["powershell", "powershell.exe", "pwsh", "pwsh.exe"].map((name): [string, ReadonlySet<string>] => [
    name,
    new Set(["-c", "-C", "-command", "-Command", "-encodedcommand", "-EncodedCommand", "-e", "-ec"]),
  ]),
  ...["python", "python3", "python2", "py", "pypy", "pypy3"].map((name): [string, ReadonlySet<string>] => [name, new Set(["-c"])]),
  ...["perl", "ruby", "node", "nodejs"].map((name): [string, ReadonlySet<string>] => [name, new Set(["-e", "-E"])]),
  ["php", new Set(["-r"])],
]);
/** Shells whose `-c` script in a subprocess argument list PG-DYN-004 already reports. */
const DYN_004_SHELLS = /^(?:sh|bash|dash|zsh|ksh|ash)$/u;
const DYN_004_FLAGS: ReadonlySet<string> = new Set(["-c", "-lc", "-ec", "-xc"]);

/** Programs with options that run commands or write files, and such an option: a value read as an option is dangerous. */
const OPTION_PROGRAMS: ReadonlyMap<string, string> = new Map([
  ["git", "--upload-pack=touch /tmp/x"],
  ["hg", "--config=hooks.pre-clone=touch /tmp/x"],
  ["ssh", "-oProxyCommand=touch /tmp/x"],
  ["scp", "-oProxyCommand=touch /tmp/x"],
  ["sftp", "-oProxyCommand=touch /tmp/x"],
  ["rsync", "-e touch /tmp/x"],
  ["tar", "--checkpoint-action=exec=touch /tmp/x"],
  ["find", "-exec"],
  ["zip", "-TT=touch /tmp/x"],
  ["curl", "-o /srv/app/main.py"],
  ["wget", "-O /srv/app/main.py"],
  ["sendmail", "-X /srv/app/shell.php"],
  ["psql", "-f /etc/passwd"],
  ["mysql", "--init-command=..."],
  ["awk", "-f /tmp/script"],
  ["gawk", "-f /tmp/script"],
  ["sed", "-e 1e touch /tmp/x"],
]);

const PATH_JOINERS: ReadonlySet<string> = new Set(["os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"]);

function baseName(value: string): string {
  return value.slice(Math.max(value.lastIndexOf("/"), value.lastIndexOf("\\")) + 1).toLowerCase();
}

interface CommandLine {
  /** The program node, or the whole command when it is not a literal list. */
  program: SyntaxNode | null;
  /** True when `program` is the whole command (a name bound to data, `shlex.split(...)` of data). */
  whole: boolean;
  /** The arguments after the program. */
  args: SyntaxNode[];
}

function elementsOf(context: RuleContext, node: SyntaxNode): SyntaxNode[] | null {
  const value = valueOf(context, node);
  if (value.type === "list" || value.type === "tuple") {
    const elements = value.namedChildren.filter((child) => child.type !== "comment");
    return elements.some((child) => child.type === "list_splat") ? elements.slice(0, elements.findIndex((child) => child.type === "list_splat")) : elements;
  }
  // `BASE_COMMAND + [value]`: the program is the first item of the left-hand list.
  if (value.type === "binary_operator" && field(value, "operator")?.text === "+") {
    const left = field(value, "left");
    const right = field(value, "right");
    const head = left ? elementsOf(context, left) : null;
    if (!head) return null;
    const tail = right ? elementsOf(context, right) : null;
    return tail ? [...head, ...tail] : head;
  }
  return null;
}

/** Constant text before the first value of a built string (`"git log "` of `f"git log {branch}"`), or null when it starts with a value. */
function leadingText(context: RuleContext, node: SyntaxNode): string | null {
  const value = valueOf(context, node);
  if (value.type === "string") {
    const first = value.namedChildren.find((child) => child.type === "string_content" || child.type === "interpolation");
    return first?.type === "string_content" ? first.text : null;
  }
  if (value.type === "binary_operator") {
    let left: SyntaxNode = value;
    for (let guard = 0; left.type === "binary_operator" && guard < 32; guard++) left = unparenthesize(field(left, "left") ?? left);
    const constant = context.analyses.constant(left)?.value;
    return typeof constant === "string" ? constant : null;
  }
  if (value.type === "call") {
    const callee = field(value, "function");
    if (callee?.type === "attribute" && field(callee, "attribute")?.text === "format") {
      const receiver = field(callee, "object");
      const constant = receiver ? context.analyses.constant(receiver)?.value : undefined;
      return typeof constant === "string" ? constant.slice(0, Math.max(0, constant.indexOf("{"))) : null;
    }
  }
  return null;
}

function isShlexSplit(context: RuleContext, node: SyntaxNode): SyntaxNode | null {
  if (node.type !== "call") return null;
  const callee = field(node, "function");
  const resolved = callee ? context.analyses.resolve(callee) : null;
  return resolved && resolved.origin !== "local" && resolved.name === "shlex.split" ? (callArguments(node).positional[0] ?? null) : null;
}

function commandLine(context: RuleContext, spec: Spec, args: CallArguments): CommandLine | null {
  if (spec.style === "list") {
    const command = argument(args, spec.program[0], spec.program[1]);
    if (!command) return null;
    const elements = elementsOf(context, command);
    if (elements) {
      if (elements.length === 0) return null;
      return { program: elements[0] ?? null, whole: false, args: elements.slice(1) };
    }
    const value = valueOf(context, command);
    const split = isShlexSplit(context, value);
    if (split) {
      // `shlex.split(f"git log {branch}")`: the program is the constant first word.
      const lead = leadingText(context, split);
      if (lead !== null && /\S\s/u.test(lead)) return null;
      return { program: split, whole: true, args: [] };
    }
    if (value.type === "string" || value.type === "binary_operator") {
      // A string without a shell is one program path; a constant word and a space before the value make it no program at all.
      const lead = leadingText(context, value);
      if (lead !== null && /\s/u.test(lead)) return null;
    }
    return { program: command, whole: true, args: [] };
  }
  const program = argument(args, spec.program[0], spec.program[1]);
  if (!program || !spec.argv) return null;
  let argv: SyntaxNode[] = [];
  if (spec.argv.variadic) argv = args.positional.slice(spec.argv.position);
  else {
    const list = args.positional[spec.argv.position] ?? args.keywords.get("args") ?? args.keywords.get("argv");
    argv = list ? (elementsOf(context, list) ?? []) : [];
  }
  // argv[0] is the program's own name, not an argument.
  return { program, whole: false, args: spec.argv.skipName ? argv.slice(1) : argv };
}

/** The program after wrappers (`sudo`, `env VAR=1`, `timeout 5`): [program, its arguments]. */
function unwrap(context: RuleContext, program: SyntaxNode, args: SyntaxNode[]): [SyntaxNode, SyntaxNode[]] {
  let current = program;
  let rest = args;
  for (let guard = 0; guard < 4; guard++) {
    const value = context.analyses.constant(current)?.value;
    if (typeof value !== "string" || !WRAPPERS.has(baseName(value))) break;
    const index = rest.findIndex((node) => {
      const text = context.analyses.constant(node)?.value;
      if (typeof text === "number") return false;
      return typeof text !== "string" || (!text.startsWith("-") && !text.includes("=") && !/^\d+(?:\.\d+)?[smhd]?$/u.test(text));
    });
    if (index < 0) break;
    current = rest[index] as SyntaxNode;
    rest = rest.slice(index + 1);
  }
  return [current, rest];
}

/** True when a value can start with `-`: it is not a string whose constant text comes first. */
function canStartWithDash(context: RuleContext, node: SyntaxNode): boolean {
  const value = valueOf(context, node);
  if (value.type === "call") {
    // `os.path.join(UPLOAD_DIR, name)`: starts with its constant folder.
    const callee = field(value, "function");
    const resolved = callee && (callee.type === "identifier" || callee.type === "attribute") ? context.analyses.resolve(callee) : null;
    if (resolved && resolved.origin !== "local" && PATH_JOINERS.has(resolved.name)) {
      const first = callArguments(value).positional[0];
      const folder = first ? context.analyses.constant(first)?.value : undefined;
      if (typeof folder === "string" && folder.length > 0 && !folder.startsWith("-")) return false;
    }
  }
  const lead = leadingText(context, node);
  return lead === null || lead.length === 0;
}

/** `name.startswith(...)` or `name[0]` tested in the function: the value's first character is checked. */
function firstCharacterChecked(context: RuleContext, call: SyntaxNode, node: SyntaxNode): boolean {
  const expression = unparenthesize(node);
  if (expression.type !== "identifier") return false;
  const scope = context.analyses.scopes.functionScopeAt(call);
  if (!scope) return false;
  const text = context.source.slice(scope.startIndex, call.startIndex);
  return text.includes(`${expression.text}.startswith(`) || text.includes(`${expression.text}[0]`) || text.includes(`${expression.text}.lstrip("-")`);
}

/** `sys.executable`: the running Python, which runs `-c` code like `python3` does. */
function interpreterName(context: RuleContext, program: SyntaxNode): string | undefined {
  const expression = unparenthesize(program);
  if (expression.type !== "attribute") return undefined;
  const resolved = context.analyses.resolve(expression);
  return resolved && resolved.origin !== "local" && resolved.name === "sys.executable" ? "python" : undefined;
}

interface Problem {
  node: SyntaxNode;
  source: TaintSource;
  severity: Severity;
  message: string;
}

export const commandProgram: RuleModule = {
  meta: {
    id: "PG-INPUT-015",
    name: "tainted-command-program",
    title: "Request data chooses the program, script or options of a command",
    sections: ["G3", "C3", "G4"],
    cwe: [78, 88],
    defaultSeverity: "error",
    bandit: ["B603", "B606"],
    docs: {
      whatItDoes:
        "Reports request data that chooses what a process runs, even without a shell: the program of `subprocess.run`/`call`/`Popen`/`check_call`/`check_output` (the first item of the argument list, the whole command when it is data or `shlex.split` of data, or `executable=`), of `os.exec*`, `os.spawn*`, `os.posix_spawn*`, `asyncio.create_subprocess_exec` and `pty.spawn`; the script after `cmd /c`, `powershell -Command`, `python -c`, `perl -e` (and `sh -c` outside `subprocess`, which PG-DYN-004 covers); and, as a warning, a value that can start with `-` among the arguments of programs whose options run commands or write files (`git`, `ssh`, `curl`, `tar`, `find`, `rsync`…) with no `--` before it.",
      whyIsThisBad:
        "An argument list protects the values from a shell, not the choice of program: whoever names the program runs any executable on the server (`/bin/sh`, a file they uploaded). A script passed to an interpreter is code. And a value read as an option is a command too: `git clone --upload-pack='touch /tmp/x' repo` or `ssh -oProxyCommand=...` runs what the attacker wrote.",
      example:
        'import subprocess\nfrom flask import request\n\n@app.route("/convert", methods=["POST"])\ndef func_convert():\n    tool = request.form["tool"]\n    return subprocess.run([tool, "in.png", "out.jpg"], check=True, capture_output=True).stdout',
      useInstead:
        'import subprocess\nfrom flask import abort, request\n\nTOOLS = {"jpeg": "/usr/bin/cjpeg", "webp": "/usr/bin/cwebp"}\n\n@app.route("/convert", methods=["POST"])\ndef func_convert():\n    tool = TOOLS.get(request.form["tool"])\n    if tool is None:\n        abort(400)\n    return subprocess.run([tool, "in.png", "out.jpg"], check=True, capture_output=True).stdout',
      notes:
        "`shell=True` calls are PG-DYN-004's and are skipped here, as are `[\"sh\", \"-c\", script]` lists given to `subprocess`. Not reported: programs chosen from a constant mapping by a request key (`TOOLS.get(key)`, `TOOLS[key]` after a membership check), allow-listed values, values after a `--` argument, values whose constant text comes first (`f\"--branch={name}\"`, `f\"refs/heads/{name}\"`), and option-like arguments in a function that tests their first character (`name.startswith(\"-\")`). Data typed at a terminal (`input()`, `sys.argv`) is not counted: a command-line tool that runs what its user asks is not crossing a trust boundary.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);

    function programProblem(node: SyntaxNode, sinkName: string, whole: boolean): Problem | null {
      const source = untrustedSource(context, node, "command");
      if (!source) return null;
      const what = whole ? "is the whole command" : "names the program";
      return {
        node,
        source,
        severity: "error",
        message: `${describeFlow(context, node, source)} and ${what} \`${sinkName}\` starts, so the client chooses which executable runs on the server; choose the program from a fixed mapping (\`TOOLS[key]\` after checking \`key in TOOLS\`) and pass request data only as arguments.`,
      };
    }

    function inspect(call: SyntaxNode, name: string, spec: Spec, args: CallArguments, sinkName: string): Problem | null {
      if (spec.subprocess) {
        const shell = argument(args, 8, "shell");
        if (shell && context.analyses.constant(shell)?.value !== false) return null;
        const executable = argument(args, 2, "executable");
        const problem = executable ? programProblem(executable, sinkName, false) : null;
        if (problem) return problem;
      }
      const line = commandLine(context, spec, args);
      if (!line?.program) return null;
      if (line.whole) return programProblem(line.program, sinkName, true);
      const [program, rest] = unwrap(context, line.program, line.args);
      const direct = programProblem(program, sinkName, false);
      if (direct) return direct;
      const programValue = context.analyses.constant(program)?.value ?? interpreterName(context, program);
      if (typeof programValue !== "string") return null;
      const programName = baseName(programValue);
      const flags = INTERPRETERS.get(programName);
      if (flags) {
        const flag = rest[0] ? context.analyses.constant(rest[0])?.value : undefined;
        const script = rest[1];
        if (typeof flag !== "string" || !flags.has(flag) || !script) return null;
        if (spec.subprocess && program === line.program && DYN_004_SHELLS.test(programName) && DYN_004_FLAGS.has(flag)) return null;
        const source = untrustedSource(context, script, "command");
        if (!source) return null;
        return {
          node: script,
          source,
          severity: "error",
          message: `${describeFlow(context, script, source)} and is the script \`${programName} ${flag}\` runs (through \`${name}\`), so the client writes the commands or code that run; run a fixed program and pass the values as separate arguments, with no shell or interpreter in between.`,
        };
      }
      const option = OPTION_PROGRAMS.get(programName);
      if (!option) return null;
      for (const value of rest) {
        const constant = context.analyses.constant(value)?.value;
        if (constant === "--") return null;
        if (constant !== undefined) continue;
        const source = untrustedSource(context, value, "command");
        if (!source || !canStartWithDash(context, value) || firstCharacterChecked(context, call, value)) continue;
        return {
          node: value,
          source,
          severity: "warning",
          message: `${describeFlow(context, value, source)} and is an argument of \`${programName}\` that can start with \`-\`, where \`${programName}\` reads it as an option that can run commands or write files (for example \`${option}\`); put \`"--"\` before it or reject values that start with \`-\`.`,
        };
      }
      return null;
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || resolved.origin === "local") return;
        const spec = SPECS.get(resolved.name);
        if (!spec) return;
        const problem = inspect(node, resolved.name, spec, callArguments(node), snippet(callee));
        if (problem) context.report({ node, severity: problem.severity, message: problem.message });
      },
    };
  },
};
