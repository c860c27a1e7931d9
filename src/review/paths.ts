import picomatch from "picomatch";
import { manifestKind } from "../engine/manifests/kinds.js";

export interface PathFilter {
  (relativePath: string): boolean;
}

/**
 * The config's include and exclude globs, matched against repository-relative POSIX paths.
 * Dependency manifests are reviewed wherever they are (the include globs name Python files),
 * unless an exclude glob says otherwise.
 */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const included = picomatch([...include], { dot: true });
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  return (path) => (included(path) || manifestKind(path) !== null) && !excluded(path);
}

/** Files pyguard reviews: Python source and stubs, and dependency manifests. The globs alone would let `include: ["src/**"]` pull in anything. */
export function isPythonPath(path: string): boolean {
  return path.endsWith(".py") || path.endsWith(".pyi") || manifestKind(path) !== null;
}
