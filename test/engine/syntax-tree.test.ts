import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Python from "tree-sitter-python";
import { describe, expect, it } from "vitest";
import { parsePython } from "../../src/engine/parse.js";
import { copySyntaxTree, grammarShape, type NodeTypeInfo, type SyntaxNode } from "../../src/engine/syntax-tree.js";

const shape = grammarShape((Python as unknown as { nodeTypeInfo: NodeTypeInfo[] }).nodeTypeInfo);

function pythonFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return pythonFiles(path);
    return entry.name.endsWith(".py") ? [path] : [];
  });
}

function describeNodes(nodes: readonly SyntaxNode[]): string[] {
  return nodes.map((node) =>
    [node.type, node.isNamed, node.startIndex, node.endIndex, node.fieldName, node.children.length, node.indexInParent, node.parent?.startIndex, node.isMissing, node.hasError].join("|"),
  );
}

/** The copy skips native reads the grammar makes predictable; reading everything must give the same tree. */
function expectSameAsExhaustiveCopy(source: string): void {
  const tree = parsePython(source);
  const fast = copySyntaxTree(tree, source, shape);
  const exhaustive = copySyntaxTree(tree, source, null);
  expect(describeNodes(fast.nodes)).toEqual(describeNodes(exhaustive.nodes));
}

describe("the syntax tree copy's shortcuts", () => {
  it("treat only lexical tokens as leaves: statements made of a keyword keep it as a child", () => {
    expect(shape.namedLeaves.has("identifier")).toBe(true);
    expect(shape.namedLeaves.has("break_statement")).toBe(false);
    expect(shape.anonymousWithChildren.has("not in")).toBe(true);
    const { root } = (() => {
      const source = "for item in items:\n    break\n";
      return copySyntaxTree(parsePython(source), source, shape);
    })();
    expect(root.descendantsOfType("break_statement")[0]?.children.map((child) => child.type)).toEqual(["break"]);
  });

  it("give the same tree as reading every property, over every Python fixture", () => {
    const files = pythonFiles("test/fixtures");
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) expectSameAsExhaustiveCopy(readFileSync(file, "utf8"));
  });

  it("give the same tree on broken code with ERROR regions and MISSING tokens", () => {
    for (const source of [
      "def func_broken(:\n    pass\n",
      "value = (1, 2\nother = [3,\n",
      "if x is not None and y not in z\n    call(\n",
      'text = f"{value!r:>{width}}" "tail\n',
      "class Klass(\n    def method(self): return self.a <> 3\n",
      "x = 1 +\n",
    ]) {
      expectSameAsExhaustiveCopy(source);
    }
  });
});
