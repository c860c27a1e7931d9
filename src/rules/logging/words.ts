/**
 * Identifier words for the C9 rules: `dbPassword_2` → db, password, 2. Splits on `_`, `-`, `.`,
 * spaces, camelCase humps and digit runs, like the secret rules do (Bandit and Ruff only split on
 * `_`, so `apiKey` escapes them). Plain string work, no tree access.
 */

/** Upper-case runs (`API` in `APIKey`), capitalised or lower-case words, digit runs. */
const WORD_PATTERN = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/gu;

export function nameWords(name: string): string[] {
  if (name.length === 0 || name.length > 120) return [];
  const words = name.match(WORD_PATTERN);
  return words ? words.map((word) => word.toLowerCase()) : [];
}

/** The words of a function name without the house-style `func` prefix: `func_verifyPassword` → verify, password. */
export function functionWords(name: string): string[] {
  const words = nameWords(name);
  return words[0] === "func" ? words.slice(1) : words;
}

/** True when `sequence` occurs in `words` as consecutive words. */
export function containsSequence(words: readonly string[], sequence: readonly string[]): boolean {
  const last = words.length - sequence.length;
  for (let start = 0; start <= last; start++) {
    let matches = true;
    for (let offset = 0; offset < sequence.length; offset++) {
      if (words[start + offset] !== sequence[offset]) {
        matches = false;
        break;
      }
    }
    if (matches) return true;
  }
  return false;
}
