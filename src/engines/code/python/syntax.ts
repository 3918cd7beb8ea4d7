import type { Node } from 'web-tree-sitter';

/** 0-based row and column, as tree-sitter reports them. */
export interface Point {
  row: number;
  column: number;
}

/**
 * The part of tree-sitter's node API the analysis uses. Both web-tree-sitter's nodes and the
 * plain-JS copy below satisfy it: native nodes for quick module-level passes, the copy where every
 * function body is walked (each native property read crosses into wasm; the copy reads JS fields).
 */
export interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly children: (SyntaxNode | null)[];
  readonly namedChildren: (SyntaxNode | null)[];
  readonly parent: SyntaxNode | null;
  readonly namedChildCount: number;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): (SyntaxNode | null)[];
  descendantsOfType(types: string | string[]): (SyntaxNode | null)[];
}

/** Offsets of line starts, to turn string indices into rows and columns on demand. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  point(index: number): Point {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - this.starts[lo]! };
  }
}

class PyNode implements SyntaxNode {
  readonly children: PyNode[] = [];
  readonly namedChildren: PyNode[] = [];
  field: string | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    private readonly start: number,
    private readonly end: number,
    readonly parent: PyNode | null,
    private readonly source: string,
    private readonly lines: LineIndex,
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  namedChild(index: number): PyNode | null {
    return this.namedChildren[index] ?? null;
  }

  get startPosition(): Point {
    return this.lines.point(this.start);
  }

  get endPosition(): Point {
    return this.lines.point(this.end);
  }

  childForFieldName(name: string): PyNode | null {
    return this.children.find((c) => c.field === name) ?? null;
  }

  childrenForFieldName(name: string): PyNode[] {
    return this.children.filter((c) => c.field === name);
  }

  descendantsOfType(types: string | string[]): PyNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const out: PyNode[] = [];
    const stack: PyNode[] = [...this.children].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (wanted.includes(node.type)) out.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
    return out;
  }
}

/** Copies a parsed subtree (a function, usually) into plain JS objects in one cursor walk. */
export function copySubtree(top: Node, source: string, lines: LineIndex): SyntaxNode {
  const cursor = top.walk();
  try {
    const root = new PyNode(cursor.nodeType, true, cursor.startIndex, cursor.endIndex, null, source, lines);
    let parent = root;
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const node = new PyNode(cursor.nodeType, cursor.nodeIsNamed, cursor.startIndex, cursor.endIndex, parent, source, lines);
      const field = cursor.currentFieldName;
      if (field) node.field = field;
      parent.children.push(node);
      if (node.isNamed) parent.namedChildren.push(node);
      if (cursor.gotoFirstChild()) {
        parent = node;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || parent === root) return root;
        parent = parent.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}
