import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { CalleeNames, nameWords, snippet } from "./helpers.js";

const MKTEMP = new Set(["tempfile.mktemp", "os.tempnam", "os.tmpnam"]);
const MKTEMP_NAMES = new Set(["mktemp", "tempnam", "tmpnam"]);
/** Stands for the part of a path that is only known at run time. */
const UNKNOWN = "\u0001";

/** File APIs, by last name, with the qualified names they must resolve to (empty: any receiver). */
const FILE_APIS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ["open", new Set(["open", "builtins.open", "io.open", "codecs.open", "os.open", "tarfile.open", "shelve.open", "dbm.open", "gzip.open", "bz2.open", "lzma.open"])],
  ["mkdir", new Set(["os.mkdir"])],
  ["makedirs", new Set(["os.makedirs"])],
  ["mkfifo", new Set(["os.mkfifo"])],
  ["symlink", new Set(["os.symlink"])],
  ["rename", new Set(["os.rename"])],
  ["replace", new Set(["os.replace"])],
  ["copy", new Set(["shutil.copy"])],
  ["copy2", new Set(["shutil.copy2"])],
  ["copyfile", new Set(["shutil.copyfile"])],
  ["copytree", new Set(["shutil.copytree"])],
  ["move", new Set(["shutil.move"])],
  ["Path", new Set(["pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath"])],
  ["PosixPath", new Set(["pathlib.PosixPath"])],
  ["ZipFile", new Set(["zipfile.ZipFile"])],
  ["TarFile", new Set(["tarfile.TarFile"])],
  ["connect", new Set(["sqlite3.connect"])],
  ["FileHandler", new Set(["logging.FileHandler"])],
  ["RotatingFileHandler", new Set(["logging.handlers.RotatingFileHandler"])],
  ["TimedRotatingFileHandler", new Set(["logging.handlers.TimedRotatingFileHandler"])],
  ["WatchedFileHandler", new Set(["logging.handlers.WatchedFileHandler"])],
  ["basicConfig", new Set(["logging.basicConfig"])],
  ["bind", new Set()],
]);
const PATH_KEYWORDS = ["file", "filename", "path", "name", "src", "dst", "database", "address"];
const JOINS = new Set(["os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath"]);
const TEMPFILE_API = new Set(["mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "TemporaryDirectory", "gettempdir"]);

/** A path strictly inside a world-writable directory. */
const SHARED_TMP = /^\/(?:tmp|var\/tmp|dev\/shm)\/+[^/\s]/u;
const SHARED_TMP_DIRECTORY = /^\/(?:tmp|var\/tmp|dev\/shm)\/*$/u;
/** Cheap file-level filters: most files mention neither. */
const SHARED_TMP_TEXT = /\/(?:tmp|var\/tmp|dev\/shm)\b/u;
const MKTEMP_TEXT = /mktemp|tempnam|tmpnam/u;
const PATH_CALLS = new Set(["Path", "PosixPath"]);
const PATH_WORDS = new Set([
  "path", "paths", "file", "files", "filename", "filepath", "dir", "dirs", "directory", "folder", "location", "dest",
  "destination", "output", "upload", "uploads", "cache", "log", "logfile", "tmp", "temp", "db", "sock", "socket", "fifo", "pid", "pidfile",
]);

function isPathLikeName(name: string): boolean {
  return nameWords(name).some((word) => PATH_WORDS.has(word));
}

/** The name an assignment target stands for: `logPath`, `self.logPath`, `app.config["UPLOAD_FOLDER"]`. */
function targetName(target: SyntaxNode): string | null {
  switch (target.type) {
    case "identifier":
      return target.text;
    case "attribute":
      return field(target, "attribute")?.text ?? null;
    case "subscript": {
      const key = field(target, "subscript");
      return key?.type === "string" ? stringLiteralValue(key) : null;
    }
    default:
      return null;
  }
}

export const insecureTempFile: RuleModule = {
  meta: {
    id: "PG-CONF-006",
    name: "insecure-temp-file",
    title: "Predictable file in a shared temporary directory",
    sections: ["C5"],
    cwe: [377, 379],
    defaultSeverity: "warning",
    bandit: ["B306", "B108"],
    docs: {
      whatItDoes:
        "Reports `tempfile.mktemp` (and `os.tempnam`/`os.tmpnam`), and fixed paths inside `/tmp`, `/var/tmp` or `/dev/shm` where they are used as paths: passed to file APIs (`open`, `os.open`, `os.makedirs`, `pathlib.Path`, `shutil` copies and moves, `sqlite3.connect`, logging file handlers, a Unix socket's `bind`), built with `os.path.join(\"/tmp\", …)`, an f-string or `+`, or assigned to a path-like name (`logPath`, `UPLOAD_FOLDER`, `filename=`).",
      whyIsThisBad:
        "Every local user and process can create files in these directories. A name known in advance can be created first by someone else, or be a symbolic link to a file of the victim's: the program then writes into an attacker's file, reads planted data, or overwrites its own files through the link. `mktemp` only returns a name, with the same race between choosing it and creating the file.",
      example: 'def func_exportReport(rows):\n    with open("/tmp/report.csv", "w") as handle:\n        handle.writelines(rows)',
      useInstead:
        'import tempfile\n\ndef func_exportReport(rows):\n    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:\n        handle.writelines(rows)\n        return handle.name',
      notes:
        "Strings that are not used as paths (log messages, comparisons such as `path.startswith(\"/tmp/\")`) are not reported, nor is the directory alone (`os.listdir(\"/tmp\")`, `mkstemp(dir=\"/tmp\")`): `mkstemp`, `mkdtemp`, `NamedTemporaryFile`, `TemporaryFile` and `TemporaryDirectory` create unpredictable names safely. A fixed name inside a private directory (created with `mkdtemp`) is fine. A path assigned to a path-like name is reported once, where it is assigned, not again where it is used.",
    },
  },
  create(context) {
    const hasSharedPath = SHARED_TMP_TEXT.test(context.source);
    if (!hasSharedPath && !MKTEMP_TEXT.test(context.source)) return {};

    /** The constant start of a path expression, or null when it has none. */
    function pathPrefix(node: SyntaxNode, depth = 0): string | null {
      if (depth > 8) return null;
      const expression = unparenthesize(node);
      switch (expression.type) {
        case "string": {
          const value = stringLiteralValue(expression);
          if (value !== null) return value;
          // An f-string: its text up to the first interpolation, then an unknown rest.
          const first = expression.namedChildren.find((child) => child.type === "string_content" || child.type === "interpolation");
          return first?.type === "string_content" ? first.text + UNKNOWN : null;
        }
        case "concatenated_string":
        case "integer":
        case "true":
        case "false":
        case "none": {
          const constant = context.analyses.constant(expression);
          return typeof constant?.value === "string" ? constant.value : null;
        }
        case "binary_operator": {
          const operator = field(expression, "operator")?.text;
          const left = field(expression, "left");
          const right = field(expression, "right");
          if (!left || (operator !== "+" && operator !== "/")) return null;
          const start = pathPrefix(left, depth + 1);
          if (start === null) return null;
          if (start.includes(UNKNOWN)) return start;
          if (operator === "/" && right) return `${start.replace(/\/+$/u, "")}/${pathPrefix(right, depth + 1) ?? UNKNOWN}`;
          return start + ((right && pathPrefix(right, depth + 1)) ?? UNKNOWN);
        }
        case "identifier": {
          const constant = context.analyses.constant(expression);
          if (typeof constant?.value !== "string") return null;
          // Reported where it was assigned to a path-like name.
          if (SHARED_TMP.test(constant.value) && isPathLikeName(expression.text)) return null;
          return constant.value;
        }
        case "call": {
          const callee = field(expression, "function");
          if (!callee || !matchesQualified(context.analyses.resolve(callee), JOINS)) return null;
          const args = callArguments(expression).positional;
          const first = args[0];
          if (!first) return null;
          const start = pathPrefix(first, depth + 1);
          if (start === null) return null;
          if (args.length < 2 || start.includes(UNKNOWN)) return start;
          return `${start.replace(/\/+$/u, "")}/${pathPrefix(args[1] as SyntaxNode, depth + 1) ?? UNKNOWN}`;
        }
        default:
          return null;
      }
    }

    function sharedPath(node: SyntaxNode): string | null {
      const prefix = pathPrefix(node);
      return prefix !== null && SHARED_TMP.test(prefix) && !SHARED_TMP_DIRECTORY.test(prefix) ? prefix : null;
    }

    function describePath(node: SyntaxNode, prefix: string): string {
      const expression = unparenthesize(node);
      if (!prefix.includes(UNKNOWN)) return expression.type === "string" ? `\`${prefix}\`` : `\`${snippet(expression, 50)}\` (\`${prefix}\`)`;
      const directory = prefix.slice(0, prefix.lastIndexOf("/", prefix.indexOf(UNKNOWN))) || "/tmp";
      return `\`${snippet(expression, 50)}\` (in \`${directory}\`)`;
    }

    const ADVICE =
      "any local user can create that name first or plant a symbolic link there; use `tempfile.NamedTemporaryFile()`/`tempfile.mkstemp()`, or a private directory from `tempfile.mkdtemp()`";

    const mktempAliases = new CalleeNames(MKTEMP_NAMES);
    return {
      import_from_statement: mktempAliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (mktempAliases.has(lastName)) {
          const callee = field(node, "function");
          if (!callee || !matchesQualified(context.analyses.resolve(callee), MKTEMP)) return;
          context.report({
            node,
            message: `\`${snippet(callee, 30)}()\` only returns a name: another process can create that file before this one does; use \`tempfile.mkstemp()\` or \`tempfile.NamedTemporaryFile()\`, which create the file atomically.`,
          });
          return;
        }
        if (!hasSharedPath) return;
        const qualified = FILE_APIS.get(lastName);
        const args = qualified || !TEMPFILE_API.has(lastName) ? callArguments(node) : null;
        if (!args) return;
        if (qualified) {
          const callee = field(node, "function");
          if (!callee) return;
          if (qualified.size > 0 && !matchesQualified(context.analyses.resolve(callee), qualified)) return;
          const candidates: SyntaxNode[] = [];
          if (lastName === "bind") {
            // A Unix socket path; address tuples are PG-CONF-007's.
            const first = args.positional[0];
            if (first && unparenthesize(first).type !== "tuple") candidates.push(first);
          } else if (PATH_CALLS.has(lastName)) {
            // Path("/tmp", "app.db") joins its parts.
            candidates.push(node);
          } else {
            candidates.push(...args.positional.slice(0, 2));
            for (const keyword of PATH_KEYWORDS) {
              const value = args.keywords.get(keyword);
              if (value) candidates.push(value);
            }
          }
          for (const candidate of candidates) {
            const prefix = sharedPath(candidate);
            if (prefix === null) continue;
            context.report({ node, message: `\`${snippet(callee, 30)}\` uses the predictable path ${describePath(candidate, prefix)} in a shared temporary directory: ${ADVICE}.` });
            return;
          }
          return;
        }
        // Any other call: a path-like keyword (`filename="/tmp/app.log"`).
        for (const [keyword, value] of args.keywords) {
          if (!isPathLikeName(keyword)) continue;
          const prefix = sharedPath(value);
          if (prefix === null) continue;
          context.report({ node, message: `\`${keyword}=\` is the predictable path ${describePath(value, prefix)} in a shared temporary directory: ${ADVICE}.` });
          return;
        }
      },
      assignment(node) {
        if (!hasSharedPath) return;
        const left = field(node, "left");
        const right = field(node, "right");
        if (!left || !right) return;
        const name = targetName(left);
        if (name === null || !isPathLikeName(name)) return;
        const value = unparenthesize(right);
        if (value.type !== "string" && value.type !== "concatenated_string" && value.type !== "binary_operator" && value.type !== "call") return;
        // `logPath = Path("/tmp/app.log")` is reported at the call.
        if (value.type === "call" && PATH_CALLS.has(calleeLastName(value) ?? "")) return;
        const prefix = sharedPath(value);
        if (prefix === null) return;
        context.report({ node, message: `\`${snippet(left, 40)}\` is the predictable path ${describePath(value, prefix)} in a shared temporary directory: ${ADVICE}.` });
      },
    };
  },
};
