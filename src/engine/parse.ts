import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { installFastNodeAccessors } from "./fast-nodes.js";

/** Non-ASCII and astral characters, so that the offset self-check sees multi-unit text. */
const SELF_CHECK_SOURCE = 'x = "é€😀"\ndef  f(a, b="😀"):\n    return call(a)  # ü\n';

let parser: Parser | undefined;

/** One parser per thread: creating a Parser and setting its language is far costlier than parsing a small file. */
export function parsePython(source: string): Parser.Tree {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
    installFastNodeAccessors(parser.parse(SELF_CHECK_SOURCE));
  }
  // node-tree-sitter reads the string in chunks of bufferSize; one chunk avoids repeated native calls.
  return parser.parse(source, undefined, { bufferSize: Math.max(source.length + 1, 32 * 1024) });
}
