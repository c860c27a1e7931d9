import { field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/** Stands for an interpolated value in the text of an f-string: patterns never match across it. */
export const HOLE = "\u0000";

/**
 * The value of a string literal or an implicit concatenation of literals (`"a" "b"`), escapes
 * decoded; null for anything else, including f-strings with interpolations (their value is not
 * written in the code).
 */
export function literalString(node: SyntaxNode): string | null {
  const expression = node.type === "parenthesized_expression" ? unparenthesize(node) : node;
  if (expression.type === "string") return stringLiteralValue(expression);
  if (expression.type !== "concatenated_string") return null;
  let value = "";
  for (const part of expression.namedChildren) {
    if (part.type !== "string") continue;
    const partValue = stringLiteralValue(part);
    if (partValue === null) return null;
    value += partValue;
  }
  return value;
}

/**
 * The source text of a string's constant parts, escapes left as written, with {@link HOLE} where
 * an f-string interpolates. For a concatenation, its parts' texts joined.
 */
export function literalSourceText(node: SyntaxNode): string {
  if (node.type === "concatenated_string") {
    let text = "";
    for (const part of node.namedChildren) if (part.type === "string") text += literalSourceText(part);
    return text;
  }
  let text = "";
  for (const child of node.namedChildren) {
    if (child.type === "string_content") text += child.text;
    else if (child.type === "interpolation") text += HOLE;
  }
  return text;
}

/** The text of the name a value is bound to: an identifier, the last part of an attribute, a string subscript key. */
export function targetName(target: SyntaxNode): string | null {
  switch (target.type) {
    case "identifier":
      return target.text;
    case "attribute":
      return field(target, "attribute")?.text ?? null;
    case "subscript": {
      const key = field(target, "subscript");
      return key && key.type === "string" ? stringLiteralValue(key) : null;
    }
    default:
      return null;
  }
}
