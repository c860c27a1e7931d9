import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { copySyntaxTree, grammarShape, type GrammarShape, type NodeTypeInfo, type ParsedSource } from "./syntax-tree.js";

let parser: Parser | undefined;
let shape: GrammarShape | undefined;

/** One parser per thread: creating a Parser and setting its language is far costlier than parsing a small file. */
export function parsePython(source: string): Parser.Tree {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  // node-tree-sitter reads the string in chunks of bufferSize; one chunk avoids repeated native calls.
  return parser.parse(source, undefined, { bufferSize: Math.max(source.length + 1, 32 * 1024) });
}

/** Parses Python source into the engine's own tree (see syntax-tree.ts); the native tree is not kept. */
export function parseSource(source: string): ParsedSource {
  shape ??= grammarShape((Python as unknown as { nodeTypeInfo: NodeTypeInfo[] }).nodeTypeInfo);
  return copySyntaxTree(parsePython(source), source, shape);
}
