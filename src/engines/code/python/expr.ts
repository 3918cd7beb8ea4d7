import { lineOf } from './parser.js';
import type { SyntaxNode as Node } from './syntax.js';

/**
 * A plain-data picture of the expressions the project model needs (decorator arguments,
 * parameter defaults, module-level values). Plain data so it can cross worker threads.
 */
export type Expr =
  | { k: 'name'; v: string; line: number }
  | { k: 'str'; v: string; line: number }
  | { k: 'num'; v: number; line: number }
  | { k: 'const'; v: 'True' | 'False' | 'None'; line: number }
  | { k: 'call'; f: string; args: Expr[]; kw: Record<string, Expr>; line: number }
  | { k: 'list'; items: Expr[]; line: number }
  | { k: 'dict'; pairs: [Expr, Expr][]; line: number }
  | { k: 'lambda'; calls: string[]; params: string[]; body: Expr; line: number }
  | { k: 'other'; line: number };

/** `a.b.c` for identifiers and attribute chains, '' for anything else. */
export function dotted(node: Node | null): string {
  if (!node) return '';
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dotted(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    return object && attr ? `${object}.${attr.text}` : '';
  }
  return '';
}

/** The value of a plain string literal (no interpolation), else undefined. */
export function stringValue(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((c) => stringValue(c));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (node.type !== 'string') return undefined;
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content' || child.type === 'escape_sequence') out += child.text;
  }
  return out;
}

/** The text of a string literal including interpolated parts (for reading log messages). */
export function stringText(node: Node): string {
  return node.namedChildren
    .filter((c): c is Node => c !== null && c.type === 'string_content')
    .map((c) => c.text)
    .join('');
}

export function toExpr(node: Node | null, depth = 0): Expr {
  if (!node) return { k: 'other', line: 0 };
  const line = lineOf(node);
  if (depth > 6) return { k: 'other', line };
  switch (node.type) {
    case 'identifier':
    case 'attribute': {
      const name = dotted(node);
      return name ? { k: 'name', v: name, line } : { k: 'other', line };
    }
    case 'string':
    case 'concatenated_string': {
      const v = stringValue(node);
      return v === undefined ? { k: 'other', line } : { k: 'str', v, line };
    }
    case 'integer':
      return { k: 'num', v: Number(node.text), line };
    case 'true':
      return { k: 'const', v: 'True', line };
    case 'false':
      return { k: 'const', v: 'False', line };
    case 'none':
      return { k: 'const', v: 'None', line };
    case 'parenthesized_expression':
      return toExpr(node.namedChildren[0] ?? null, depth);
    case 'list':
    case 'tuple':
    case 'set':
      return { k: 'list', items: firstItems(node).map((c) => toExpr(c, depth + 1)), line };
    case 'dictionary': {
      const pairs: [Expr, Expr][] = [];
      for (const pair of firstItems(node)) {
        if (pair?.type === 'pair') pairs.push([toExpr(pair.childForFieldName('key'), depth + 1), toExpr(pair.childForFieldName('value'), depth + 1)]);
      }
      return { k: 'dict', pairs, line };
    }
    case 'call': {
      const args: Expr[] = [];
      const kw: Record<string, Expr> = {};
      for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
        if (!arg) continue;
        if (arg.type === 'keyword_argument') {
          const name = arg.childForFieldName('name')?.text;
          if (name) kw[name] = toExpr(arg.childForFieldName('value'), depth + 1);
        } else if (arg.type !== 'comment') {
          args.push(toExpr(arg, depth + 1));
        }
      }
      return { k: 'call', f: dotted(node.childForFieldName('function')), args, kw, line };
    }
    case 'lambda':
      return { k: 'lambda', calls: callNamesIn(node.childForFieldName('body')), params: lambdaParams(node), body: toExpr(node.childForFieldName('body'), depth + 1), line };
    default:
      return { k: 'other', line };
  }
}

/** Literal collections can be huge (lookup tables): the first items tell what they hold. */
const MAX_ITEMS = 64;

function firstItems(node: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < Math.min(node.namedChildCount, MAX_ITEMS); i++) {
    const child = node.namedChild(i);
    if (child) out.push(child);
  }
  return out;
}

/** Names of a lambda's parameters that FastAPI fills from the query string when it is a dependency (not `x=Depends(...)`). */
function lambdaParams(node: Node): string[] {
  return (node.childForFieldName('parameters')?.namedChildren ?? [])
    .map((p) => {
      if (p?.type === 'identifier') return p.text;
      if (p?.type !== 'default_parameter' || /^([\w.]+\.)?(Depends|Security)\(/.test(p.childForFieldName('value')?.text ?? '')) return '';
      return p.childForFieldName('name')?.text ?? '';
    })
    .filter(Boolean);
}

/** Names of the functions called anywhere inside a node (for lambdas). */
function callNamesIn(node: Node | null): string[] {
  if (!node) return [];
  return node
    .descendantsOfType('call')
    .map((c) => dotted(c?.childForFieldName('function') ?? null))
    .filter(Boolean);
}

/** The last dotted segment: `fastapi.security.HTTPBasic` -> `HTTPBasic`. */
export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
