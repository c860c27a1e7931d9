import picomatch from "picomatch";

export interface PathFilter {
  (relativePath: string): boolean;
}

/** The config's include and exclude globs, matched against repository-relative POSIX paths. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const included = picomatch([...include], { dot: true });
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  return (path) => included(path) && !excluded(path);
}

/** Python source and stub files; the globs alone would let `include: ["src/**"]` pull in anything. */
export function isPythonPath(path: string): boolean {
  return path.endsWith(".py") || path.endsWith(".pyi");
}
