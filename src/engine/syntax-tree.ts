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
  /** Rules read the same names many times; each read would otherwise make a new string. */
  private cachedText: string | undefined;

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
    return (this.cachedText ??= this.source.text.slice(this.startIndex, this.endIndex));
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

/**
 * What the grammar says about node types (tree-sitter's node-types.json), so that the copy can
 * skip native calls whose answers are known: a token such as `(` or `def` spans exactly its own
 * text, never has children, and fills no field unless the grammar puts it in one.
 */
export interface GrammarShape {
  /** Named types that never have children (`identifier`, `integer`, `comment`). */
  namedLeaves: ReadonlySet<string>;
  /** Anonymous types that some field can hold (`==` in `operators`). */
  anonymousInFields: ReadonlySet<string>;
  /** Anonymous types with children (aliases such as `not in`); copied like named nodes. */
  anonymousWithChildren: ReadonlySet<string>;
}

export interface NodeTypeInfo {
  type: string;
  named: boolean;
  fields?: Record<string, { types: ReadonlyArray<{ type: string; named: boolean }> }>;
  children?: unknown;
  subtypes?: unknown;
}

export function grammarShape(nodeTypes: readonly NodeTypeInfo[]): GrammarShape {
  const namedLeaves = new Set<string>();
  const anonymousInFields = new Set<string>();
  const anonymousWithChildren = new Set<string>();
  for (const info of nodeTypes) {
    for (const field of Object.values(info.fields ?? {})) for (const member of field.types) if (!member.named) anonymousInFields.add(member.type);
    // node-types.json gives every syntax rule a `fields` object, empty or not (`break_statement`
    // has the anonymous child `break`); lexical tokens have none.
    const hasChildren = info.fields !== undefined || info.children !== undefined;
    if (info.named && !hasChildren && info.subtypes === undefined) namedLeaves.add(info.type);
    if (!info.named && hasChildren) anonymousWithChildren.add(info.type);
  }
  return { namedLeaves, anonymousInFields, anonymousWithChildren };
}

interface NodeKind {
  type: string;
  isNamed: boolean;
  /** Never has children: the copy does not try to descend. */
  isLeaf: boolean;
  /** Width of a token whose text is its type, or -1 when the end must be read. */
  fixedWidth: number;
  /** Whether the node can fill a field of its parent. */
  mayHaveField: boolean;
}

/** ts_builtin_sym_error, outside the language's symbol table. */
const ERROR_SYMBOL = 65535;
const ERROR_KIND: NodeKind = { type: "ERROR", isNamed: true, isLeaf: false, fixedWidth: -1, mayHaveField: true };
/** Node kinds by tree-sitter symbol id, learnt from the cursor the first time each id is seen. */
const kindsByShape = new WeakMap<GrammarShape, Array<NodeKind | undefined>>();
const EXHAUSTIVE: GrammarShape = { namedLeaves: new Set(), anonymousInFields: new Set(), anonymousWithChildren: new Set() };
const fieldNames: Array<string | null | undefined> = [null];

function learnKind(symbol: number, cursor: Parser.TreeCursor, shape: GrammarShape, kinds: Array<NodeKind | undefined>): NodeKind {
  const type = internalize(cursor.nodeType);
  const isNamed = cursor.nodeIsNamed;
  const isToken = shape !== EXHAUSTIVE && !isNamed && !shape.anonymousWithChildren.has(type);
  const kind: NodeKind = {
    type,
    isNamed,
    isLeaf: isToken || shape.namedLeaves.has(type),
    fixedWidth: isToken ? type.length : -1,
    mayHaveField: isNamed || !isToken || shape.anonymousInFields.has(type),
  };
  kinds[symbol] = kind;
  return kind;
}

/**
 * Copies a parsed tree into JavaScript nodes with one cursor pass. Without a grammar shape every
 * property is read from the native tree (slower; tests compare the two).
 */
export function copySyntaxTree(tree: Parser.Tree, text: string, grammar: GrammarShape | null): ParsedSource {
  const shape = grammar ?? EXHAUSTIVE;
  let kinds = kindsByShape.get(shape);
  if (!kinds) kindsByShape.set(shape, (kinds = []));
  const source = new SourceText(text);
  // Broken files may hold zero-width MISSING tokens: read every end, and look for them.
  const trackErrors = tree.rootNode.hasError;
  const cursor = tree.walk();
  const nodes: SyntaxNode[] = [];
  // Children wait on one stack until their parent is done, then move into an array of exactly
  // their number: arrays grown by push keep spare room, which was a large share of the garbage.
  const pending: SyntaxNode[] = [];
  const firstPending: number[] = [];
  let parent: SyntaxNode | null = null;
  let root: SyntaxNode | undefined;
  const closeParent = (): void => {
    const start = firstPending.pop() as number;
    if (parent && pending.length > start) parent.children = pending.slice(start);
    pending.length = start;
    parent = parent ? parent.parent : null;
  };
  for (;;) {
    const symbol = cursor.nodeTypeId;
    const kind = symbol === ERROR_SYMBOL ? ERROR_KIND : (kinds[symbol] ?? learnKind(symbol, cursor, shape, kinds));
    const startIndex = cursor.startIndex;
    const endIndex = kind.fixedWidth >= 0 && !trackErrors ? startIndex + kind.fixedWidth : cursor.endIndex;
    let fieldName: string | null = null;
    if (kind.mayHaveField) {
      const fieldId = cursor.currentFieldId;
      fieldName = !fieldId ? null : (fieldNames[fieldId] ?? (fieldNames[fieldId] = internalize(cursor.currentFieldName)));
    }
    const indexInParent = parent ? pending.length - (firstPending[firstPending.length - 1] as number) : 0;
    const node: SyntaxNode = new SyntaxNode(source, kind.type, kind.isNamed, startIndex, endIndex, parent, fieldName, indexInParent);
    if (trackErrors && (symbol === ERROR_SYMBOL || cursor.nodeIsMissing)) {
      node.isMissing = symbol !== ERROR_SYMBOL;
      for (let marked: SyntaxNode | null = node; marked && !marked.hasError; marked = marked.parent) marked.hasError = true;
    }
    if (parent) pending.push(node);
    else root = node;
    nodes.push(node);
    if (!kind.isLeaf && cursor.gotoFirstChild()) {
      parent = node;
      firstPending.push(pending.length);
      continue;
    }
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      closeParent();
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
