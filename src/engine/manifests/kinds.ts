/** Dependency manifests pyguard reviews beside Python code (G7, C6). */
export type ManifestKind = "requirements" | "pyproject" | "pipfile";

const REQUIREMENTS_NAME = /(^|[-_.])(requirements|constraints)([-_.][\w.-]*)?\.(txt|in)$/iu;

/** The manifest kind of a path, or null: requirements*.txt, *-requirements.txt, constraints*.txt, requirements/*.txt, pyproject.toml, Pipfile. */
export function manifestKind(path: string): ManifestKind | null {
  const parts = path.split("/");
  const name = parts[parts.length - 1] ?? "";
  if (name === "pyproject.toml") return "pyproject";
  if (name === "Pipfile") return "pipfile";
  if (REQUIREMENTS_NAME.test(name)) return "requirements";
  const folder = parts[parts.length - 2] ?? "";
  if (/^(requirements|constraints)$/iu.test(folder) && /\.(txt|in)$/iu.test(name)) return "requirements";
  return null;
}
