import { argument, callArguments, calleeLastName, field, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { CalleeNames, constantValue, nameWords } from "../configuration/helpers.js";

const STAT_BITS: ReadonlyMap<string, number> = new Map([
  ["S_IRWXU", 0o700], ["S_IRUSR", 0o400], ["S_IWUSR", 0o200], ["S_IXUSR", 0o100],
  ["S_IRWXG", 0o070], ["S_IRGRP", 0o040], ["S_IWGRP", 0o020], ["S_IXGRP", 0o010],
  ["S_IRWXO", 0o007], ["S_IROTH", 0o004], ["S_IWOTH", 0o002], ["S_IXOTH", 0o001],
  ["S_ISUID", 0o4000], ["S_ISGID", 0o2000], ["S_ISVTX", 0o1000],
  ["S_IREAD", 0o400], ["S_IWRITE", 0o200], ["S_IEXEC", 0o100],
]);
const OS_CHMOD = new Set(["os.chmod", "os.lchmod", "os.fchmod"]);
/** Creation calls: the mode is masked by the umask, so a permissive one is a note. */
const OS_CREATION: ReadonlyMap<string, number> = new Map([
  ["os.open", 2],
  ["os.mkdir", 1],
  ["os.makedirs", 1],
  ["os.mkfifo", 1],
  ["os.mknod", 1],
]);
const CALL_NAMES = new Set(["chmod", "lchmod", "fchmod", "open", "mkdir", "makedirs", "mkfifo", "mknod", "touch", "umask"]);
const SECRET_WORDS = new Set(["key", "keys", "secret", "secrets", "token", "tokens", "credential", "credentials", "password", "passwords", "pem", "rsa", "ed25519", "netrc", "pgpass", "keystore", "keytab"]);

function octal(mode: number): string {
  return mode === 0 ? "0" : `0o${mode.toString(8)}`;
}

/** The value of a mode expression: integers, `stat.S_*` constants, and `|`/`+` of them. */
function modeValue(context: RuleContext, node: SyntaxNode, depth = 0): number | null {
  if (depth > 12) return null;
  const expression = unparenthesize(node);
  if (expression.type === "binary_operator") {
    const operator = field(expression, "operator")?.text;
    const left = field(expression, "left");
    const right = field(expression, "right");
    if (!left || !right || (operator !== "|" && operator !== "+")) return null;
    const a = modeValue(context, left, depth + 1);
    const b = a === null ? null : modeValue(context, right, depth + 1);
    return a === null || b === null ? null : operator === "|" ? a | b : a + b;
  }
  if (expression.type === "attribute" || expression.type === "identifier") {
    const resolved = context.analyses.resolve(expression);
    if (resolved && resolved.origin !== "local" && resolved.name.startsWith("stat.")) {
      return STAT_BITS.get(resolved.name.slice(5)) ?? null;
    }
  }
  const constant = constantValue(context, expression);
  return typeof constant?.value === "number" && Number.isInteger(constant.value) ? constant.value : null;
}

/** True when the path (a constant or a name) looks like a key or secret file. */
function looksSecret(context: RuleContext, path: SyntaxNode | undefined): boolean {
  if (!path) return false;
  const constant = constantValue(context, path);
  const text = typeof constant?.value === "string" ? constant.value : path.type === "identifier" || path.type === "attribute" ? path.text : "";
  if (/id_(?:rsa|dsa|ecdsa|ed25519)\b|\.(?:pem|key|p12|pfx|jks)$/iu.test(text)) return true;
  return nameWords(text).some((word) => SECRET_WORDS.has(word));
}

export const filePermissions: RuleModule = {
  meta: {
    id: "PG-AUTHZ-004",
    name: "permissive-file-permissions",
    title: "File or directory made writable by other users",
    sections: ["G9", "C1"],
    cwe: [732, 276],
    defaultSeverity: "warning",
    bandit: ["B103"],
    docs: {
      whatItDoes:
        "Reports permission modes that let other users write: `os.chmod`/`os.lchmod`/`os.fchmod` and `Path.chmod` with the world-write bit (`0o777`, `0o666`, `stat.S_IWOTH`, `stat.S_IRWXO`), or the group-write bit (a note); a key or secret file (by name) made readable by others; `os.umask` values that leave the world-write bit open (`os.umask(0)`); and world-writable creation modes in `os.open`, `os.mkdir`, `os.makedirs`, `os.mkfifo`, `Path.mkdir` and `Path.touch` (a note: the umask usually masks them). Modes are evaluated from integers, `stat` constants and `|`/`+`.",
      whyIsThisBad:
        "Any local user or compromised service can change a world-writable file: rewrite a script that runs later, a configuration that is trusted, or data that is served. A private key readable by others is a leaked key.",
      example: 'import os\n\ndef func_publish(reportPath):\n    os.chmod(reportPath, 0o777)',
      useInstead: 'import os\n\ndef func_publish(reportPath):\n    os.chmod(reportPath, 0o644)',
      notes:
        "An error for `chmod` to world-writable, a warning for `umask` and for key files readable by others, a note for group-writable `chmod` and for permissive creation modes (`os.makedirs(path, mode=0o777)` is the default and the umask narrows it; the explicit value still states an intent). Modes computed at run time (`os.chmod(path, st.st_mode | stat.S_IEXEC)`) are not reported.",
    },
  },
  create(context) {
    const names = new CalleeNames(CALL_NAMES);

    function report(node: SyntaxNode, severity: Severity, message: string): void {
      context.report({ node, severity, message });
    }

    function checkChmod(call: SyntaxNode, label: string, modeNode: SyntaxNode | undefined, pathNode: SyntaxNode | undefined): void {
      if (!modeNode) return;
      const mode = modeValue(context, modeNode);
      if (mode === null) return;
      if (mode & 0o002) {
        report(call, "error", `\`${label}\` sets mode \`${octal(mode & 0o7777)}\`, which every user on the machine can write; use \`0o644\` for files or \`0o755\` for directories (\`0o600\`/\`0o700\` when only the owner needs it).`);
      } else if ((mode & 0o004) && looksSecret(context, pathNode)) {
        report(call, "warning", `\`${label}\` makes \`${pathNode?.text ?? "the file"}\`, which looks like a key or secret, readable by every user (\`${octal(mode & 0o7777)}\`); use \`0o600\`.`);
      } else if (mode & 0o020) {
        report(call, "note", `\`${label}\` sets mode \`${octal(mode & 0o7777)}\`, which the whole group can write; make sure every member of the group should be able to change it, or drop the group write bit.`);
      }
    }

    function checkCreation(call: SyntaxNode, label: string, modeNode: SyntaxNode | undefined): void {
      if (!modeNode) return;
      const mode = modeValue(context, modeNode);
      if (mode === null || !(mode & 0o002)) return;
      report(call, "note", `\`${label}\` asks for mode \`${octal(mode & 0o7777)}\` (world-writable); the umask usually removes the write bits for others, but a process with \`umask(0)\` gets exactly this; ask for \`0o600\`/\`0o700\` (or \`0o644\`/\`0o755\`).`);
    }

    return {
      import_from_statement: names.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !names.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        const qualified = resolved && resolved.origin !== "local" ? resolved.name : null;
        const args: CallArguments = callArguments(node);
        const label = callee.text.length <= 40 ? callee.text : lastName;
        if (qualified === "os.umask") {
          const mask = args.positional[0] ? modeValue(context, args.positional[0]) : null;
          if (mask === null || mask & 0o002) return;
          report(node, "warning", `\`os.umask(${octal(mask)})\` lets every file and directory created afterwards be world-writable (\`open\` creates files with \`0o666\`, \`mkdir\` with \`0o777\`); keep the world-write bit masked (\`0o022\` or \`0o077\`).`);
          return;
        }
        if (qualified !== null && OS_CHMOD.has(qualified)) {
          checkChmod(node, label, argument(args, 1, "mode"), argument(args, 0, "path") ?? argument(args, 0, "fd"));
          return;
        }
        const position = qualified === null ? undefined : OS_CREATION.get(qualified);
        if (position !== undefined) {
          checkCreation(node, label, argument(args, position, "mode"));
          return;
        }
        // Another module's function (`tarfile.open`, `shutil.chmod`): not a permission call we know.
        if (resolved?.origin === "import") return;
        // Methods: Path.chmod(mode), sftp.chmod(path, mode), Path.mkdir(mode=...), Path.touch(mode=...).
        if (callee.type !== "attribute") return;
        switch (lastName) {
          case "chmod":
          case "lchmod": {
            const receiver = field(callee, "object");
            const two = args.positional.length >= 2;
            checkChmod(node, label, args.keywords.get("mode") ?? (two ? args.positional[1] : args.positional[0]), two ? args.positional[0] : (receiver ?? undefined));
            return;
          }
          case "mkdir":
          case "touch":
            checkCreation(node, label, argument(args, 0, "mode"));
            return;
          default:
            return;
        }
      },
    };
  },
};
