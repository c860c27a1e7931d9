import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { assignedValue, describeFlow, externalCallee, snippet, taintOnlyThrough, untrustedSource } from "./flows.js";
import { operands } from "./sink-support.js";

/** Which arguments of a file function are paths: [position, keyword] pairs. */
type PathArguments = ReadonlyArray<readonly [number, string]>;

const FIRST: PathArguments = [[0, "path"]];
const TWO: PathArguments = [[0, "src"], [1, "dst"]];

/** Module functions that open, change or list files, by qualified name. */
const FILE_FUNCTIONS: ReadonlyMap<string, PathArguments> = new Map<string, PathArguments>([
  ["open", [[0, "file"]]],
  ["builtins.open", [[0, "file"]]],
  ["io.open", [[0, "file"]]],
  ["codecs.open", [[0, "filename"]]],
  ["gzip.open", [[0, "filename"]]],
  ["bz2.open", [[0, "filename"]]],
  ["lzma.open", [[0, "filename"]]],
  ["aiofiles.open", [[0, "file"]]],
  ["os.open", FIRST],
  ["os.remove", FIRST],
  ["os.unlink", FIRST],
  ["os.rmdir", FIRST],
  ["os.removedirs", [[0, "name"]]],
  ["os.makedirs", [[0, "name"]]],
  ["os.mkdir", FIRST],
  ["os.listdir", FIRST],
  ["os.scandir", FIRST],
  ["os.walk", [[0, "top"]]],
  ["os.chmod", FIRST],
  ["os.chown", FIRST],
  ["os.stat", FIRST],
  ["os.truncate", FIRST],
  ["os.rename", TWO],
  ["os.renames", [[0, "old"], [1, "new"]]],
  ["os.replace", TWO],
  ["os.symlink", TWO],
  ["os.link", TWO],
  ["shutil.copy", TWO],
  ["shutil.copy2", TWO],
  ["shutil.copyfile", TWO],
  ["shutil.copytree", TWO],
  ["shutil.move", TWO],
  ["shutil.rmtree", FIRST],
  ["flask.send_file", [[0, "path_or_file"], [0, "filename_or_fp"]]],
  ["flask.helpers.send_file", [[0, "path_or_file"], [0, "filename_or_fp"]]],
  ["werkzeug.utils.send_file", [[0, "path_or_file"]]],
  // The filename argument is checked by send_from_directory itself; the directory is trusted.
  ["flask.send_from_directory", [[0, "directory"]]],
  ["flask.helpers.send_from_directory", [[0, "directory"]]],
  ["werkzeug.utils.send_from_directory", [[0, "directory"]]],
  ["starlette.responses.FileResponse", [[0, "path"]]],
  ["fastapi.responses.FileResponse", [[0, "path"]]],
]);

const FUNCTION_LAST_NAMES: ReadonlySet<string> = new Set([...FILE_FUNCTIONS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)));

/** pathlib methods that touch the file system; the receiver is the path. */
const PATH_METHODS: ReadonlySet<string> = new Set([
  "open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch", "iterdir", "rename",
  "replace", "symlink_to", "hardlink_to", "chmod", "glob", "rglob",
]);
/** pathlib methods whose first argument is a second path. */
const PATH_TARGET_METHODS: ReadonlySet<string> = new Set(["rename", "replace"]);

const PATH_CONSTRUCTORS: ReadonlySet<string> = new Set([
  "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath", "anyio.Path", "trio.Path",
]);
/** Path methods whose result is still a path. */
const PATH_RETURNING_METHODS: ReadonlySet<string> = new Set(["resolve", "absolute", "expanduser", "joinpath", "with_name", "with_suffix", "with_stem", "relative_to"]);

/** Calls that build an in-memory or already open file: `send_file` of one is not a path. */
const FILE_OBJECTS: ReadonlySet<string> = new Set(["io.BytesIO", "io.StringIO", "open", "builtins.open", "io.open", "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile", "tempfile.SpooledTemporaryFile"]);

const UPLOAD_SOURCES: ReadonlySet<string> = new Set(["request.files", "request.FILES"]);

const ADVICE =
  "`../` or an absolute path leaves the intended folder; reduce it to a file name with `werkzeug.utils.secure_filename` (or `os.path.basename`), or resolve the path and check it stays under the base folder (`path.resolve().is_relative_to(BASE)`), or serve it with `send_from_directory(BASE, name)`";
const DIRECTORY_ADVICE =
  "`send_from_directory` trusts its directory and checks only the file name; keep the directory fixed (a constant or configuration) and pass the client's part as the file name";
const UPLOAD_ADVICE = "the client chooses the uploaded file's name, `../` included; save it under `werkzeug.utils.secure_filename(upload.filename)` or a generated name (`uuid.uuid4().hex`)";

/** True when an expression is a `pathlib` path: `Path(x)`, `BASE / x`, `path.resolve()`, or a name bound to one. */
function isPathObject(context: RuleContext, node: SyntaxNode): boolean {
  let current: SyntaxNode = node;
  for (let step = 0; step < 8; step++) {
    current = assignedValue(context, current);
    switch (current.type) {
      case "binary_operator":
        return field(current, "operator")?.text === "/";
      case "call": {
        const callee = field(current, "function");
        if (!callee) return false;
        if (callee.type === "attribute" && PATH_RETURNING_METHODS.has(field(callee, "attribute")?.text ?? "")) {
          const receiver = field(callee, "object");
          if (!receiver) return false;
          current = receiver;
          continue;
        }
        return matchesQualified(context.analyses.resolve(callee), PATH_CONSTRUCTORS);
      }
      case "attribute":
        if (field(current, "attribute")?.text !== "parent") return false;
        current = field(current, "object") ?? current;
        continue;
      case "identifier": {
        const binding = context.analyses.scopes.bindingBefore(current.text, current);
        const annotation = binding?.kind === "parameter" ? field(binding.site, "type")?.text : undefined;
        return annotation !== undefined && /\b(?:Pure)?(?:Posix|Windows)?Path\b/u.test(annotation);
      }
      default:
        return false;
    }
  }
  return false;
}

/** `send_file(io.BytesIO(data))`: a file object, not a path. */
function isFileObject(context: RuleContext, node: SyntaxNode): boolean {
  const value = assignedValue(context, node);
  if (value.type !== "call") return false;
  const callee = field(value, "function");
  return callee !== null && matchesQualified(context.analyses.resolve(callee), FILE_OBJECTS);
}

/**
 * `if ".." in name or name.startswith("/"): abort(400)` (or the positive `if ".." not in name and
 * not os.path.isabs(name):`): a name with no parent step that is not absolute stays under any base
 * it is joined to. Only both tests together count: `os.path.join(BASE, "/etc/passwd")` is `/etc/passwd`.
 * Worked out once per file, on the first tainted path.
 */
class TraversalChecks {
  private ranges: Array<{ name: string; start: number; end: number }> | undefined;

  constructor(private readonly context: RuleContext) {}

  covers(identifier: SyntaxNode): boolean {
    this.ranges ??= this.collect();
    const start = identifier.startIndex;
    return this.ranges.some((range) => range.name === identifier.text && start >= range.start && start < range.end);
  }

  /** What a condition part says: `".." in x` (dotdot) or `x.startswith("/")` / `os.path.isabs(x)` (absolute), and whether negated. */
  private test(part: SyntaxNode): { name: string; kind: "dotdot" | "absolute"; negated: boolean } | null {
    let expression = unparenthesize(part);
    let negated = false;
    if (expression.type === "not_operator") {
      const inner = field(expression, "argument");
      if (!inner) return null;
      expression = unparenthesize(inner);
      negated = true;
    }
    if (expression.type === "comparison_operator") {
      const operator = expression.children.find((child) => !child.isNamed)?.type;
      const [left, right] = expression.namedChildren;
      const needle = left ? this.context.analyses.constant(left) : undefined;
      if ((operator !== "in" && operator !== "not in") || right?.type !== "identifier" || typeof needle?.value !== "string" || !needle.value.includes("..")) return null;
      return { name: right.text, kind: "dotdot", negated: negated !== (operator === "not in") };
    }
    if (expression.type !== "call") return null;
    const callee = field(expression, "function");
    if (callee?.type !== "attribute") return null;
    const method = field(callee, "attribute")?.text ?? "";
    const receiver = field(callee, "object");
    if (method === "startswith" && receiver?.type === "identifier") {
      const prefix = callArguments(expression).positional[0];
      const value = prefix ? this.context.analyses.constant(prefix)?.value : undefined;
      const prefixes = Array.isArray(value) ? value : [value];
      return prefixes.some((item) => item === "/" || item === "\\") ? { name: receiver.text, kind: "absolute", negated } : null;
    }
    if (method === "isabs" && matchesQualified(this.context.analyses.resolve(callee), ABSOLUTE_TESTS)) {
      const argumentNode = callArguments(expression).positional[0];
      return argumentNode?.type === "identifier" ? { name: argumentNode.text, kind: "absolute", negated } : null;
    }
    return null;
  }

  private collect(): Array<{ name: string; start: number; end: number }> {
    const ranges: Array<{ name: string; start: number; end: number }> = [];
    for (const { node } of this.context.analyses.flow.ifStatements) {
      const condition = field(node, "condition");
      const consequence = field(node, "consequence");
      if (!condition || !consequence || !condition.text.includes("..")) continue;
      const expression = unparenthesize(condition);
      const operator = expression.type === "boolean_operator" ? expression.children.find((child) => !child.isNamed)?.type : undefined;
      if (!operator) continue;
      const tests = operands(expression, operator).map((part) => this.test(part));
      const names = new Set(tests.map((test) => test?.name).filter((name): name is string => name !== undefined));
      for (const name of names) {
        const mine = tests.filter((test) => test?.name === name);
        const rejects = operator === "or" && mine.some((test) => test?.kind === "dotdot" && !test.negated) && mine.some((test) => test?.kind === "absolute" && !test.negated);
        const accepts = operator === "and" && mine.some((test) => test?.kind === "dotdot" && test.negated) && mine.some((test) => test?.kind === "absolute" && test.negated);
        if (accepts) ranges.push({ name, start: consequence.startIndex, end: consequence.endIndex });
        if (!rejects) continue;
        const last = consequence.lastNamedChild;
        const exits =
          last?.type === "return_statement" ||
          last?.type === "raise_statement" ||
          (last?.type === "expression_statement" && last.namedChild(0)?.type === "call" && calleeLastName(last.namedChild(0) as SyntaxNode) === "abort");
        const block = exits ? node.parent : null;
        if (block) ranges.push({ name, start: node.endIndex, end: block.endIndex });
      }
    }
    return ranges;
  }
}


const SEGMENT_NOTE =
  " (a URL segment cannot hold `/`, but `..` still names the parent folder, and on Windows `..\\` walks further)";

/**
 * A Flask or FastAPI route variable without the `path` converter (`<name>`, `{name}`): one URL
 * segment, so no `/` in it. Still a finding (`..`, backslashes on Windows), but a warning.
 */
function isSegmentParameter(context: RuleContext, call: SyntaxNode, label: string): boolean {
  if (!label.startsWith("route parameter ")) return false;
  const name = label.slice("route parameter ".length);
  for (let scope = context.analyses.scopes.functionScopeAt(call); scope; scope = scope.parent) {
    if (scope.kind !== "function") continue;
    for (const decorator of context.analyses.decoratorsOf(scope.node)) {
      if (decorator.type !== "call") continue;
      const pathNode = callArguments(decorator).positional[0];
      const path = pathNode ? context.analyses.constant(pathNode)?.value : undefined;
      if (typeof path !== "string") continue;
      const flask = new RegExp(`<(?:(\\w+):)?${name}>`, "u").exec(path);
      if (flask) return flask[1] === undefined || flask[1] === "string";
      const fastapi = new RegExp(`\\{${name}(:\\w+)?\\}`, "u").exec(path);
      if (fastapi) return fastapi[1] === undefined;
    }
  }
  return false;
}

const ABSOLUTE_TESTS: ReadonlySet<string> = new Set(["os.path.isabs", "posixpath.isabs"]);

export const pathTraversal: RuleModule = {
  meta: {
    id: "PG-INPUT-001",
    name: "path-traversal",
    title: "File path built from request data",
    sections: ["G3", "C3"],
    cwe: [22, 73],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports request data (query and form fields, JSON, headers, uploaded file names, URL parameters) that reaches a file-system call without being reduced to a safe name: `open`, `io.open`, `codecs.open`, `os.open`, `pathlib.Path` methods (`open`, `read_text`, `read_bytes`, `write_text`, `write_bytes`, `unlink`…), `os.remove`/`unlink`/`rmdir`/`removedirs`/`rename`/`replace`/`makedirs`/`mkdir`/`listdir`/`scandir`/`walk`/`chmod`/`chown`/`stat`, `shutil.copy`/`copyfile`/`copytree`/`move`/`rmtree`, Flask `send_file`, the directory argument of `send_from_directory`, Starlette `FileResponse`, and an uploaded file's `save(path)`. The data is followed through variables, `os.path.join`, `/`, f-strings and helper functions of the same file.",
      whyIsThisBad:
        "A name such as `../../etc/passwd` or an absolute path walks out of the folder the code means to use: the client reads configuration and keys, or overwrites and deletes files the server can write. `os.path.join(BASE, name)` does not help: an absolute `name` replaces `BASE` altogether.",
      example:
        'from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/report")\ndef func_report():\n    name = request.args["name"]\n    with open(f"/srv/reports/{name}") as handle:\n        return handle.read()',
      useInstead:
        'from flask import Flask, request, send_from_directory\n\napp = Flask(__name__)\nREPORTS = "/srv/reports"\n\n@app.route("/report")\ndef func_report():\n    # send_from_directory refuses names that leave REPORTS.\n    return send_from_directory(REPORTS, request.args["name"])',
      notes:
        "Not reported: names passed through `secure_filename`, `os.path.basename`, `safe_join` or a conversion (`int`, `uuid.UUID`); names checked against an allow-list (`if name in ALLOWED`, `REPORTS.get(name, \"default.txt\")`); paths checked with `realpath(...).startswith(BASE)` or `resolve().is_relative_to(BASE)` before use; Flask `<int:…>`/`<uuid:…>` URL parameters; the filename argument of `send_from_directory` (it is checked); `send_file` of an in-memory file. `input()` and `sys.argv` are not counted: a command-line user choosing a file crosses no trust boundary. A check that rejects both `..` and absolute names before use (`if \"..\" in name or name.startswith(\"/\"): abort(400)`, or `os.path.isabs`) is accepted; a bare `\"..\" in name` check is not: absolute paths pass it. Django `FileResponse(open(path))` is reported at the `open`. A Flask or FastAPI URL variable without the `path` converter (`<name>`, `{name}`) cannot hold `/`: it is reported as a warning, since `..` still names the parent folder (listing or deleting it) and Windows also splits on `\\`.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(FUNCTION_LAST_NAMES);
    const traversalChecks = new TraversalChecks(context);
    const covered = (identifier: SyntaxNode): boolean => traversalChecks.covers(identifier);
    const check = (call: SyntaxNode, value: SyntaxNode | undefined, sinkName: string, advice = ADVICE, extra = ""): boolean => {
      if (!value) return false;
      const source = untrustedSource(context, value, "path");
      if (!source || taintOnlyThrough(context, value, "path", covered)) return false;
      const segment = isSegmentParameter(context, call, source.label);
      context.report({
        node: call,
        severity: segment ? "warning" : "error",
        message: `${describeFlow(context, value, source)} and reaches ${extra}\`${sinkName}\`${segment ? SEGMENT_NOTE : ""}: ${advice}.`,
      });
      return true;
    };
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (callee.type === "attribute" && (PATH_METHODS.has(lastName) || lastName === "save")) {
          const receiver = field(callee, "object");
          if (!receiver) return;
          if (lastName === "save") {
            // werkzeug's FileStorage.save(dst): an upload saved under a path from the request.
            const upload = context.analyses.taint.sourceOf(receiver, "path");
            if (!upload || !UPLOAD_SOURCES.has(upload.label)) return;
            check(node, argument(callArguments(node), 0, "dst"), snippet(callee), UPLOAD_ADVICE);
            return;
          }
          if (context.analyses.resolve(callee)?.origin === "import") {
            // `os.open`, `webbrowser.open`: a module function, not a path method.
            if (!aliases.has(lastName)) return;
          } else {
            if (!isPathObject(context, receiver)) return;
            if (check(node, receiver, snippet(callee))) return;
            if (PATH_TARGET_METHODS.has(lastName)) check(node, argument(callArguments(node), 0, "target"), snippet(callee));
            return;
          }
        }
        if (!aliases.has(lastName)) return;
        const name = externalCallee(context, node);
        const spec = name ? FILE_FUNCTIONS.get(name) : undefined;
        if (!name || !spec) return;
        const args = callArguments(node);
        const shortName = name.slice(name.lastIndexOf(".") + 1);
        for (const [position, keyword] of spec) {
          const value = argument(args, position, keyword);
          if (!value) continue;
          if (shortName === "send_file" && isFileObject(context, unparenthesize(value))) return;
          const directory = shortName === "send_from_directory";
          if (check(node, value, snippet(callee), directory ? DIRECTORY_ADVICE : ADVICE, directory ? "the directory argument of " : "")) return;
        }
      },
    };
  },
};
