import { calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { SEVERITY_RANK } from "../../engine/types.js";
import { importedModules } from "./imported-modules.js";

type ModuleKind = "cleartext" | "ipmi" | "xmlrpc-server" | "pycrypto" | "removed";

interface ModuleEntry {
  kind: ModuleKind;
  severity: Severity;
  /** What is wrong and what to use, after "`module` …". */
  advice: string;
  /** For standard modules that were removed: the Python version without them. */
  removedIn?: [number, number];
}

const XMLRPC_ADVICE =
  "serves XML-RPC: it parses what any client sends with expat, which the Python documentation says is not secure against maliciously constructed data (entity expansion); call `defusedxml.xmlrpc.monkey_patch()` at start-up, or serve a JSON API";

/**
 * Modules by dotted path; an import of the module or of anything below it matches (`xmlrpc.server`
 * matches `from xmlrpc.server import SimpleXMLRPCServer` and `from xmlrpc import server`, not
 * `xmlrpc.client`). Exact names: `crypt` is not `cryptography`, `imp` is not `importlib`.
 */
const MODULES: ReadonlyMap<string, ModuleEntry> = new Map<string, ModuleEntry>([
  ["telnetlib", { kind: "cleartext", severity: "warning", advice: "speaks Telnet, which sends logins and data in cleartext (and the module was removed in Python 3.13); use SSH (`paramiko`, `asyncssh`)" }],
  ["ftplib", { kind: "cleartext", severity: "warning", advice: "" }],
  ["pyghmi", { kind: "ipmi", severity: "warning", advice: "speaks IPMI, whose RAKP handshake hands a password hash to anyone who asks with a valid user name (CVE-2013-4786); keep BMCs on an isolated management network and prefer Redfish over HTTPS" }],
  ["xmlrpc.server", { kind: "xmlrpc-server", severity: "note", advice: XMLRPC_ADVICE }],
  ["SimpleXMLRPCServer", { kind: "xmlrpc-server", severity: "note", advice: XMLRPC_ADVICE }],
  ["DocXMLRPCServer", { kind: "xmlrpc-server", severity: "note", advice: XMLRPC_ADVICE }],
  ["imp", { kind: "removed", severity: "note", removedIn: [3, 12], advice: "was removed in Python 3.12 (deprecated since 3.4), so this import fails there; use `importlib`" }],
  ["asynchat", { kind: "removed", severity: "note", removedIn: [3, 12], advice: "was removed in Python 3.12 (PEP 594), so this import fails there; use `asyncio`" }],
  ["asyncore", { kind: "removed", severity: "note", removedIn: [3, 12], advice: "was removed in Python 3.12 (PEP 594), so this import fails there; use `asyncio`" }],
  ["smtpd", { kind: "removed", severity: "note", removedIn: [3, 12], advice: "was removed in Python 3.12 (PEP 594), so this import fails there; use `aiosmtpd`" }],
  ["cgi", { kind: "removed", severity: "note", removedIn: [3, 13], advice: "was removed in Python 3.13 (PEP 594), so this import fails there; parse requests with a WSGI or ASGI framework (or `urllib.parse.parse_qsl` and `email.message` for the pieces)" }],
  ["cgitb", { kind: "removed", severity: "note", removedIn: [3, 13], advice: "was removed in Python 3.13 (PEP 594), so this import fails there, and `cgitb.enable()` shows tracebacks with local variables to the client; log errors with `logging`" }],
  ["crypt", { kind: "removed", severity: "note", removedIn: [3, 13], advice: "was removed in Python 3.13 (PEP 594), so this import fails there; hash passwords with `hashlib.scrypt`, `argon2-cffi` or `bcrypt`" }],
]);

const FTP_ADVICE = "sends the login, the commands and the files in cleartext; use `ftplib.FTP_TLS` and call `prot_p()` (or SFTP with `paramiko`)";

/**
 * Modules only pycrypto has: PyCryptodome, which installs the same `Crypto` package and is
 * maintained, dropped them. Importing one means the project runs on pycrypto.
 */
const PYCRYPTO_ONLY =
  /^Crypto\.(?:Cipher\.XOR|Protocol\.(?:AllOrNothing|Chaffing)|Random\.(?:OSRNG|Fortuna|_UserFriendlyRNG)|Util\.(?:randpool|winrandom)|PublicKey\.(?:pubkey|_slowmath|_RSA|_DSA))(?:\.|$)/u;
const PYCRYPTO_ADVICE =
  "exists only in pycrypto, which is unmaintained since 2013 and whose last release has an unfixed heap overflow in AES (CVE-2013-7459); move to PyCryptodome (the maintained successor, same `Crypto` package, without this module) or `cryptography`";

/** The newest Python version the code must run on, from the rule's `pythonVersion` option ("3.13"); removed modules up to it are reported. */
const DEFAULT_PYTHON: [number, number] = [3, 12];

function pythonVersion(option: unknown): [number, number] {
  const match = typeof option === "string" || typeof option === "number" ? /^(\d+)\.(\d+)/u.exec(String(option)) : null;
  return match ? [Number(match[1]), Number(match[2])] : DEFAULT_PYTHON;
}

function atOrBefore(version: [number, number], target: [number, number]): boolean {
  return version[0] < target[0] || (version[0] === target[0] && version[1] <= target[1]);
}

function entryFor(module: string): { name: string; entry: ModuleEntry } | null {
  if (PYCRYPTO_ONLY.test(module)) return { name: module, entry: { kind: "pycrypto", severity: "warning", advice: PYCRYPTO_ADVICE } };
  for (let key = module; key.length > 0; key = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "") {
    const entry = MODULES.get(key);
    if (entry) return { name: key, entry };
  }
  return null;
}

interface Flagged {
  statement: SyntaxNode;
  modules: Array<{ name: string; entry: ModuleEntry }>;
  /** How an `ftplib` import reaches `FTP`: imported by name, through `ftplib.FTP`, or through a wildcard. */
  ftp: "class" | "module" | "wildcard" | "none";
}

function highest(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((best, severity) => (SEVERITY_RANK[severity] > SEVERITY_RANK[best] ? severity : best), "note");
}

export const insecureModuleImport: RuleModule = {
  meta: {
    id: "PG-DEP-010",
    name: "insecure-or-removed-module",
    title: "Import of a module for a cleartext protocol, an unmaintained library, or a removed standard module",
    sections: ["G7", "C6"],
    cwe: [477, 319, 327],
    defaultSeverity: "warning",
    bandit: ["B401", "B402", "B411", "B413", "B415"],
    docs: {
      whatItDoes:
        "Reports imports of modules that are insecure by design, unmaintained, or gone from the Python the code must run on. Warnings: `telnetlib` (Telnet is cleartext), `ftplib` when the plain `FTP` class is used (imported, or called as `ftplib.FTP(...)`; not when only `FTP_TLS` is), `pyghmi` (IPMI), and modules only pycrypto has (`Crypto.Random.OSRNG`, `Crypto.Cipher.XOR`, `Crypto.Util.randpool`…). Notes: XML-RPC servers (`xmlrpc.server`, `SimpleXMLRPCServer`) unless `defusedxml.xmlrpc.monkey_patch()` is applied, and standard modules removed at or before the configured Python version (`imp`, `asynchat`, `asyncore`, `smtpd` in 3.12; `cgi`, `cgitb`, `crypt` in 3.13). One finding per import statement.",
      whyIsThisBad:
        "Cleartext protocols hand passwords and data to anyone on the network path. Unmaintained libraries keep their known vulnerabilities: pycrypto's last release still has a heap overflow in AES (CVE-2013-7459). An XML-RPC server parses whatever XML any client sends. A module the interpreter no longer has keeps the project on an old Python, and old Pythons stop getting security fixes.",
      example: "import telnetlib\n\n\ndef func_readStatus(host):\n    session = telnetlib.Telnet(host)\n    return session.read_all()",
      useInstead:
        "import paramiko\n\n\ndef func_readStatus(host):\n    client = paramiko.SSHClient()\n    client.load_system_host_keys()\n    client.connect(host)\n    _, stdout, _ = client.exec_command(\"status\")\n    return stdout.read()",
      notes:
        "Option `pythonVersion` (default `\"3.12\"`): the newest Python version the code must run on; standard modules removed at or before it are reported (set `\"3.13\"` to also report `cgi`, `cgitb` and `crypt`). Plain `Crypto` imports are not reported: PyCryptodome, the maintained successor, installs the same package, and PG-DEP-004 reports `pycrypto` in manifests; only modules PyCryptodome dropped prove pycrypto. XML-RPC clients (`xmlrpc.client`) parse the answers of a server you chose; `http://` servers are PG-CRYPTO-008's. Relative imports (`from . import cgi`, the project's own module) are not reported. `ssl.wrap_socket` is PG-CRYPTO-010's, XML parsers PG-DEP-011's.",
    },
  },
  create(context) {
    const target = pythonVersion(context.options.pythonVersion);
    const flagged: Flagged[] = [];
    const ftpCalls: Record<"module" | "wildcard", SyntaxNode[]> = { module: [], wildcard: [] };

    return {
      import_statement: visit,
      import_from_statement: visit,
      call(node) {
        // `ftplib.FTP(...)` after `import ftplib` (or `FTP(...)` after `from ftplib import *`); the cheap name test first.
        if (calleeLastName(node) !== "FTP") return;
        const callee = field(node, "function");
        const resolved = callee ? context.analyses.resolve(callee) : null;
        if (!resolved) return;
        if (resolved.origin === "import" && resolved.name === "ftplib.FTP") ftpCalls.module.push(node);
        else if (resolved.origin === "global" && resolved.name === "FTP") ftpCalls.wildcard.push(node);
      },
      "module:exit"() {
        if (flagged.length === 0) return;
        const xmlrpcPatched = context.analyses.importsModule("defusedxml") && /\bmonkey_patch\s*\(/u.test(context.source);
        for (const { statement, modules, ftp } of flagged) {
          const reasons: string[] = [];
          const severities: Severity[] = [];
          const grouped = new Map<string, string[]>();
          for (const { name, entry } of modules) {
            if (entry.kind === "xmlrpc-server" && xmlrpcPatched) continue;
            if (name === "ftplib") {
              if (ftp === "none") continue;
              const calls = ftp === "class" ? [] : ftpCalls[ftp];
              if (ftp !== "class" && calls.length === 0) continue;
              const where = calls[0] ? `\`ftplib.FTP\` (line ${calls[0].startPosition.row + 1})` : "`ftplib.FTP`";
              reasons.push(`${where} ${FTP_ADVICE}`);
            } else {
              // Modules with the same advice (`import asynchat, asyncore`) share one sentence.
              const same = grouped.get(entry.advice);
              if (same) same.push(name);
              else {
                grouped.set(entry.advice, [name]);
                reasons.push(entry.advice);
              }
            }
            severities.push(entry.severity);
          }
          if (reasons.length === 0) continue;
          const sentences = reasons.map((reason) => {
            const names = grouped.get(reason);
            if (!names) return reason;
            const subject = names.map((name) => `\`${name}\``).join(" and ");
            return `${subject} ${names.length > 1 ? reason.replace(/^was /u, "were ") : reason}`;
          });
          context.report({ node: statement, severity: highest(severities), message: `${sentences.join("; ")}.` });
        }
      },
    };

    function visit(node: SyntaxNode): void {
      const imported = importedModules(node);
      if (imported.length === 0) return;
      const modules: Flagged["modules"] = [];
      let ftp: Flagged["ftp"] = "module";
      const seen = new Set<string>();
      for (const { module, names } of imported) {
        const found = entryFor(module);
        if (!found || seen.has(found.name)) continue;
        if (found.entry.removedIn && !atOrBefore(found.entry.removedIn, target)) continue;
        seen.add(found.name);
        modules.push(found);
        if (found.name === "ftplib" && node.type === "import_from_statement") ftp = names.includes("FTP") ? "class" : names.includes("*") ? "wildcard" : "none";
      }
      if (modules.length > 0) flagged.push({ statement: node, modules, ftp });
    }
  },
};
