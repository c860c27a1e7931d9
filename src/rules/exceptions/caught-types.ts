import type { FileAnalyses } from "../../engine/analyses/index.js";
import { unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * What an `except` clause catches, read from its type expression. Shared by the G8 rules: the
 * swallowing rule asks whether a clause is broad, the disclosure rule whether the caught
 * exception's text may reveal internals (paths, SQL, hosts, library versions) or was written for
 * the client (validation and HTTP errors, the application's own exceptions).
 */

const BROAD = new Set(["Exception", "BaseException", "builtins.Exception", "builtins.BaseException"]);

/** Built-in exceptions whose text describes the system: paths, hosts, modules, internal state. */
const INTERNAL_BUILTINS = new Set([
  "OSError", "IOError", "EnvironmentError", "FileNotFoundError", "FileExistsError", "PermissionError", "IsADirectoryError",
  "NotADirectoryError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError",
  "BrokenPipeError", "TimeoutError", "BlockingIOError", "ChildProcessError", "InterruptedError", "ProcessLookupError",
  "RuntimeError", "AttributeError", "ImportError", "ModuleNotFoundError", "NameError", "UnboundLocalError",
  "AssertionError", "NotImplementedError", "RecursionError", "MemoryError", "SystemError", "ReferenceError",
]);

/**
 * Libraries whose exceptions carry internals: SQL text and schema names, hosts and ports, file
 * paths, command lines, cloud account ids.
 */
const REVEALING_MODULES = [
  "sqlite3", "psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "cx_Oracle", "oracledb", "pyodbc", "asyncpg",
  "aiosqlite", "sqlalchemy", "django.db", "peewee", "pymongo", "motor", "redis", "elasticsearch", "requests", "httpx",
  "urllib", "urllib3", "aiohttp", "http.client", "socket", "ssl", "subprocess", "os", "shutil", "smtplib", "ftplib",
  "paramiko", "boto3", "botocore", "ldap", "ldap3", "grpc", "kombu", "celery", "jinja2", "zipfile", "tarfile", "pickle",
  "xml", "lxml", "yaml",
];

export interface CaughtTypes {
  /** Bare `except:` or `Exception`/`BaseException` (alone or in a tuple). */
  broad: boolean;
  /** The caught exception's text may reveal internals. */
  revealing: boolean;
  /** `except:`, `except Exception`, `except (KeyError, Exception)`: for messages. */
  label: string;
}

export function typeNodes(typeExpression: SyntaxNode | null): SyntaxNode[] {
  if (!typeExpression) return [];
  const expression = unparenthesize(typeExpression);
  if (expression.type === "tuple" || expression.type === "list") {
    return expression.namedChildren.filter((child) => child.type !== "comment");
  }
  return [expression];
}

function fromModule(name: string, module: string): boolean {
  return name === module || name.startsWith(`${module}.`);
}

/** Classifies one exception type expression (a name or dotted name). */
export function classifyType(analyses: FileAnalyses, type: SyntaxNode): { broad: boolean; revealing: boolean } {
  if (type.type !== "identifier" && type.type !== "attribute") return { broad: false, revealing: false };
  const resolved = analyses.resolve(type);
  if (!resolved || resolved.origin === "local") return { broad: false, revealing: false };
  const name = resolved.name;
  const lastName = name.slice(name.lastIndexOf(".") + 1);
  if (BROAD.has(name)) return { broad: true, revealing: true };
  if (lastName.endsWith("ValidationError") || name.startsWith(".")) return { broad: false, revealing: false };
  if (resolved.origin === "global") return { broad: false, revealing: INTERNAL_BUILTINS.has(name) };
  return { broad: false, revealing: REVEALING_MODULES.some((module) => fromModule(name, module)) };
}

/** Classifies the type expression of an `except` clause (null for a bare `except:`). */
export function classifyCaught(analyses: FileAnalyses, typeExpression: SyntaxNode | null): CaughtTypes {
  if (!typeExpression) return { broad: true, revealing: true, label: "except:" };
  let broad = false;
  let revealing = false;
  for (const type of typeNodes(typeExpression)) {
    const kind = classifyType(analyses, type);
    broad ||= kind.broad;
    revealing ||= kind.revealing;
  }
  const text = typeExpression.text.replace(/\s+/gu, " ");
  return { broad, revealing, label: `except ${text.length > 50 ? `${text.slice(0, 49)}…` : text}` };
}

/** The type expression and the body of an `except` clause. */
export function exceptParts(clause: SyntaxNode): { type: SyntaxNode | null; name: string | null; body: SyntaxNode | null } {
  let type: SyntaxNode | null = null;
  let name: string | null = null;
  let body: SyntaxNode | null = null;
  for (const child of clause.namedChildren) {
    if (child.type === "block") body = child;
    else if (child.type === "comment") continue;
    else if (child.type === "as_pattern") {
      type = child.namedChild(0);
      const alias = child.namedChildren.find((part) => part.type === "as_pattern_target");
      const target = alias?.namedChild(0);
      if (target?.type === "identifier") name = target.text;
    } else if (!type) type = child;
  }
  return { type, name, body };
}
