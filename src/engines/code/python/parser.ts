import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import type { SyntaxNode } from './syntax.js';

export type { Node, Parser, Tree };

const require = createRequire(import.meta.url);

let ready: Promise<Parser> | undefined;

/**
 * One Python parser per thread, built from tree-sitter-python's wasm (its native build is not
 * installed on purpose). The grammar's ABI must lie in the range web-tree-sitter can load.
 */
export function pythonParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init();
    const wasm = require.resolve('tree-sitter-python/tree-sitter-python.wasm');
    const language = await Language.load(wasm);
    const { LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION } = await import('web-tree-sitter');
    if (language.abiVersion < MIN_COMPATIBLE_VERSION || language.abiVersion > LANGUAGE_VERSION) {
      throw new Error(`tree-sitter-python ABI ${language.abiVersion} is outside ${MIN_COMPATIBLE_VERSION}..${LANGUAGE_VERSION}`);
    }
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}

/** 1-based line of a node, the way editors and reports count. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** Lines where the parser had to recover (ERROR or MISSING nodes), first few only. */
export function syntaxErrorLines(tree: Tree, limit = 5): number[] {
  const lines: number[] = [];
  if (!tree.rootNode.hasError) return lines;
  const visit = (node: Node): void => {
    if (lines.length >= limit) return;
    if (node.type === 'ERROR' || node.isMissing) {
      lines.push(lineOf(node));
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return [...new Set(lines)];
}
