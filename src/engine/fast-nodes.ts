import Parser from "tree-sitter";

/**
 * node-tree-sitter answers every property of a node (`type`, `startIndex`, `text`, a field) with
 * a call into native code, even when the same rule asks twice. Trees never change after parsing,
 * so each answer can be kept on the node object (the binding hands out one object per node).
 * Start offsets are already in the node's transfer fields: reading them costs nothing.
 *
 * The patch checks itself against the native answers on a sample before it is applied, so a
 * binding whose internals differ keeps its own (slower) accessors.
 */

type NodeRecord = Parser.SyntaxNode & { readonly [index: number]: number } & { [key: symbol]: unknown };

/** The binding exports the node class, though its typings do not say so. */
const SyntaxNodeClass = (Parser as unknown as { SyntaxNode: { prototype: Parser.SyntaxNode } }).SyntaxNode;

const FIELDS = Symbol("pyguard.fields");

function cacheGetter(prototype: object, name: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  const nativeGet = descriptor?.get;
  if (!nativeGet) return;
  Object.defineProperty(prototype, name, {
    configurable: true,
    enumerable: descriptor.enumerable ?? false,
    get(this: object) {
      const value: unknown = nativeGet.call(this);
      Object.defineProperty(this, name, { value, enumerable: false, configurable: true, writable: false });
      return value;
    },
  });
}

let applied = false;

/** Applies the caches once; returns whether the fast start offsets are in use. */
export function installFastNodeAccessors(sampleTree: Parser.Tree): boolean {
  if (applied) return true;
  applied = true;
  const prototype = SyntaxNodeClass.prototype;
  for (const name of ["type", "endIndex", "endPosition", "text", "parent", "children", "namedChildren", "namedChildCount", "childCount", "firstChild", "lastChild", "firstNamedChild", "lastNamedChild", "nextSibling", "previousSibling", "nextNamedSibling", "previousNamedSibling", "isNamed", "isMissing", "hasError"]) {
    cacheGetter(prototype, name);
  }
  const nativeChildForFieldName = prototype.childForFieldName;
  prototype.childForFieldName = function childForFieldName(this: NodeRecord, fieldName: string): Parser.SyntaxNode | null {
    let fields = this[FIELDS] as Map<string, Parser.SyntaxNode | null> | undefined;
    if (!fields) {
      fields = new Map();
      Object.defineProperty(this, FIELDS, { value: fields, enumerable: false });
    }
    const known = fields.get(fieldName);
    if (known !== undefined) return known;
    const child = nativeChildForFieldName.call(this, fieldName) ?? null;
    fields.set(fieldName, child);
    return child;
  };

  // Start offsets: the transfer fields hold the start byte (UTF-16, two per code unit), row and column bytes.
  const startIndexGetter = Object.getOwnPropertyDescriptor(prototype, "startIndex")?.get;
  const startPositionGetter = Object.getOwnPropertyDescriptor(prototype, "startPosition")?.get;
  if (!startIndexGetter || !startPositionGetter) return false;
  const sample = sampleTree.rootNode.descendantsOfType(["identifier", "string", "call"]) as NodeRecord[];
  const agrees = sample.every((node) => {
    const position = startPositionGetter.call(node) as Parser.Point;
    const [startByte, row, columnByte] = [node[2] ?? -1, node[3] ?? -1, node[4] ?? -1];
    return startIndexGetter.call(node) === startByte / 2 && position.row === row && position.column === columnByte / 2;
  });
  if (!agrees || sample.length === 0) return false;
  Object.defineProperty(prototype, "startIndex", {
    configurable: true,
    get(this: NodeRecord) {
      return (this[2] as number) / 2;
    },
  });
  Object.defineProperty(prototype, "startPosition", {
    configurable: true,
    get(this: NodeRecord) {
      return { row: this[3] as number, column: (this[4] as number) / 2 };
    },
  });
  return true;
}

