/** Test modules: test_*.py, *_test.py, conftest.py, and anything under a tests/ or test/ folder. */
export function isTestPath(path: string): boolean {
  const parts = path.split("/");
  const name = parts[parts.length - 1] ?? "";
  return /^test_.*\.py$|_test\.py$|^conftest\.py$/u.test(name) || parts.slice(0, -1).some((part) => part === "tests" || part === "test");
}
