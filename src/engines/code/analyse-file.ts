import type { ModuleSummary } from './python/model.js';
import { pythonParser } from './python/parser.js';
import { decodeSource, readSource, type SourceRef } from './python/sources.js';
import { looksRelevant, summarise } from './python/summary.js';
import { readFileSync } from 'node:fs';

export interface FileResult {
  summary?: ModuleSummary;
  warnings: string[];
}

/** Reads, parses and summarises one file; never throws for bad input, it warns. */
export async function analyseFile(ref: SourceRef, maxBytes: number): Promise<FileResult> {
  const read = await readSource(ref, maxBytes);
  if (!read.ok) return { warnings: [read.warning] };
  return summariseText(ref.rel, read.text, looksRelevant(read.text));
}

export async function summariseText(rel: string, text: string, deep: boolean): Promise<FileResult> {
  const parser = await pythonParser();
  const tree = parser.parse(text);
  if (!tree) return { warnings: [`${rel}: could not be parsed`] };
  try {
    const summary = summarise(tree, text, rel, deep);
    const warnings = summary.syntaxErrors.map((line) => `${rel}:${line}: syntax error, analysed the parts that parse`);
    return { summary, warnings };
  } finally {
    tree.delete();
  }
}

/** Synchronous re-analysis with function bodies, for files first summarised without them. */
export function deepenSync(root: string, module: ModuleSummary, parserReady: Awaited<ReturnType<typeof pythonParser>>): ModuleSummary {
  const read = decodeSource(module.rel, readFileSync(`${root}/${module.rel}`));
  if (!read.ok) return { ...module, deep: true };
  const tree = parserReady.parse(read.text);
  if (!tree) return { ...module, deep: true };
  try {
    return summarise(tree, read.text, module.rel, true);
  } finally {
    tree.delete();
  }
}
