import type Parser from "tree-sitter";

/**
 * A plain JavaScript copy of a tree-sitter tree. node-tree-sitter answers every node property
 * with a call into native code and registers every node object it hands out in a native cache,
 * which made property reads and garbage collection most of the engine's time. One cursor pass
 * copies what the rules read (type, offsets, field, children); everything else is derived in
 * JavaScript, and the native tree can be dropped as soon as the copy exists.
 */

export interface Point {
  row: number;
  column: number;
}

/** The source text of one file, shared by its nodes; line starts are computed on first use. */
class SourceText {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Row and column (UTF-16 code units, as node-tree-sitter counts them) of an offset. */
  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= index) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: index - (starts[low] as number) };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) starts.push(index + 1);
  return starts;
}

const NO_CHILDREN: SyntaxNode[] = [];
Object.freeze(NO_CHILDREN);

export class SyntaxNode {
  /** Filled by the builder; leaves share one frozen empty array. */
  children: SyntaxNode[] = NO_CHILDREN;
  isMissing = false;
  hasError = false;
  private named: SyntaxNode[] | undefined;

  constructor(
    private readonly source: SourceText,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: SyntaxNode | null,
    /** The field this node fills in its parent (`function` of a call), or null. */
    readonly fieldName: string | null,
    /** Position among the parent's children. */
    readonly indexInParent: number,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.source.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.source.pointAt(this.endIndex);
  }

  get namedChildren(): SyntaxNode[] {
    return (this.named ??= this.children.length === 0 ? NO_CHILDREN : this.children.filter((child) => child.isNamed));
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChildren[0] ?? null;
  }

  get lastNamedChild(): SyntaxNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }

  get nextSibling(): SyntaxNode | null {
    return this.parent?.children[this.indexInParent + 1] ?? null;
  }

  get previousSibling(): SyntaxNode | null {
    return this.indexInParent > 0 ? (this.parent?.children[this.indexInParent - 1] ?? null) : null;
  }

  get nextNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children ?? NO_CHILDREN;
    for (let index = this.indexInParent + 1; index < siblings.length; index++) {
      const sibling = siblings[index] as SyntaxNode;
      if (sibling.isNamed) return sibling;
    }
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children ?? NO_CHILDREN;
    for (let index = this.indexInParent - 1; index >= 0; index--) {
      const sibling = siblings[index] as SyntaxNode;
      if (sibling.isNamed) return sibling;
    }
    return null;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    for (const child of this.children) if (child.fieldName === name) return child;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter((child) => child.fieldName === name);
  }

  /** The nodes of the given types in this subtree, this node included, in source order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = new Set(typeof types === "string" ? [types] : types);
    const found: SyntaxNode[] = [];
    const pending: SyntaxNode[] = [this];
    while (pending.length > 0) {
      const node = pending.pop() as SyntaxNode;
      if (wanted.has(node.type)) found.push(node);
      for (let index = node.children.length - 1; index >= 0; index--) pending.push(node.children[index] as SyntaxNode);
    }
    return found;
  }

  /** The smallest node in this subtree that contains the offset. */
  descendantForIndex(index: number): SyntaxNode {
    return smallestContaining(this, index);
  }

  toString(): string {
    return `(${this.type} ${this.startIndex}-${this.endIndex})`;
  }
}

function smallestContaining(node: SyntaxNode, index: number): SyntaxNode {
  // A loop, not recursion: expression trees can nest thousands deep.
  let current = node;
  for (;;) {
    const inner = current.children.find((child) => child.startIndex <= index && index < child.endIndex);
    if (!inner) return current;
    current = inner;
  }
}

export interface ParsedSource {
  root: SyntaxNode;
  /** Every node in source order (pre-order), the root first. */
  nodes: SyntaxNode[];
}

/** Node kinds by tree-sitter symbol id, learnt from the cursor the first time each id is seen. */
const kindNames: Array<string | undefined> = [];
const kindNamed: boolean[] = [];
const fieldNames: Array<string | null | undefined> = [null];
/** ts_builtin_sym_error, outside the language's symbol table. */
const ERROR_SYMBOL = 65535;

/** Copies a parsed tree into JavaScript nodes with one cursor pass. */
export function copySyntaxTree(tree: Parser.Tree, text: string): ParsedSource {
  const source = new SourceText(text);
  const trackErrors = tree.rootNode.hasError;
  const cursor = tree.walk();
  const nodes: SyntaxNode[] = [];
  let parent: SyntaxNode | null = null;
  let root: SyntaxNode | undefined;
  for (;;) {
    const symbol = cursor.nodeTypeId;
    let type: string;
    let isNamed: boolean;
    if (symbol === ERROR_SYMBOL) {
      type = "ERROR";
      isNamed = true;
    } else {
      const known = kindNames[symbol];
      if (known === undefined) {
        type = internalize(cursor.nodeType);
        isNamed = cursor.nodeIsNamed;
        kindNames[symbol] = type;
        kindNamed[symbol] = isNamed;
      } else {
        type = known;
        isNamed = kindNamed[symbol] as boolean;
      }
    }
    const fieldId = cursor.currentFieldId;
    let fieldName = fieldNames[fieldId];
    if (fieldName === undefined) fieldName = fieldNames[fieldId] = internalize(cursor.currentFieldName);
    const siblings: SyntaxNode[] | null = parent ? parent.children : null;
    const node: SyntaxNode = new SyntaxNode(source, type, isNamed, cursor.startIndex, cursor.endIndex, parent, fieldName, siblings ? siblings.length : 0);
    if (trackErrors && (symbol === ERROR_SYMBOL || cursor.nodeIsMissing)) {
      node.isMissing = symbol !== ERROR_SYMBOL;
      for (let marked: SyntaxNode | null = node; marked && !marked.hasError; marked = marked.parent) marked.hasError = true;
    }
    if (parent) {
      if (parent.children === NO_CHILDREN) parent.children = [node];
      else parent.children.push(node);
    } else root = node;
    nodes.push(node);
    if (cursor.gotoFirstChild()) {
      parent = node;
      continue;
    }
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      parent = parent ? parent.parent : null;
    }
    if (done) break;
  }
  return { root: root as SyntaxNode, nodes };
}

/** Type and field names come from native code as fresh strings; one shared copy makes comparisons cheap. */
function internalize(name: string): string {
  const table: Record<string, string> = internalized;
  return (table[name] ??= name);
}
const internalized: Record<string, string> = Object.create(null) as Record<string, string>;
