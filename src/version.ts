import { readFileSync } from "node:fs";

/** pyguard's version, from package.json (two levels up from both src/ and dist/ modules). */
export const VERSION: string = (() => {
  try {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
})();
