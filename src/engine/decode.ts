import type { FileError } from "./types.js";
import { TextDecoder } from "node:util";

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/u;

/** Python's codec names (PEP 263 cookies) as the WHATWG labels TextDecoder knows. */
export function whatwgEncoding(pythonName: string): string {
  const name = pythonName.toLowerCase().replaceAll("_", "-");
  if (/^utf-?8(-sig)?$/u.test(name) || name === "ascii" || name === "us-ascii") return "utf-8";
  if (["latin-1", "latin1", "l1", "iso-8859-1", "iso8859-1", "8859", "cp819"].includes(name)) return "latin1";
  const windows = /^(?:cp|windows-)(125\d)$/u.exec(name);
  if (windows) return `windows-${windows[1]}`;
  const iso = /^iso-?8859-(\d+)$/u.exec(name);
  if (iso) return `iso-8859-${iso[1]}`;
  return name;
}

/** Decodes Python source bytes the way the interpreter does (PEP 263), or says why it cannot. */
export function decodePythonSource(path: string, bytes: Uint8Array, maxBytes: number): { text: string } | { error: FileError } {
  if (bytes.byteLength > maxBytes) {
    return {
      error: {
        path,
        kind: "too-large",
        message: `skipped: ${bytes.byteLength} bytes is over the ${maxBytes}-byte limit (set maxFileBytes in the config to change it)`,
      },
    };
  }
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    return { error: { path, kind: "binary", message: "skipped: the file holds NUL bytes, so it is binary, not Python source" } };
  }
  let encoding = "utf-8";
  const firstLines = new TextDecoder("latin1").decode(bytes.subarray(0, 512)).split(/\r?\n|\r/u, 2);
  for (const line of firstLines) {
    const cookie = CODING_COOKIE.exec(line);
    if (cookie?.[1]) {
      encoding = whatwgEncoding(cookie[1]);
      break;
    }
    if (!/^[ \t\f]*(#.*)?$/u.test(line)) break;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  } catch {
    return { error: { path, kind: "encoding", message: `skipped: the file declares the encoding "${encoding}", which pyguard cannot decode` } };
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return {
      error: { path, kind: "encoding", message: `skipped: the file is not valid ${encoding === "utf-8" ? "UTF-8" : encoding} (declare its encoding with a coding comment, PEP 263)` },
    };
  }
}
