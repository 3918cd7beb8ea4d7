import { describeError } from '../../core/errors.js';
import type { ModuleSummary } from './python/model.js';
import { pythonParser, type Parser } from './python/parser.js';
import { decodeSource, readSource, type SourceRef } from './python/sources.js';
import { countLines, looksRelevant, summarise, worthIndexing, type Depth } from './python/summary.js';
import { readFileSync } from 'node:fs';

export interface FileResult {
  summary?: ModuleSummary;
  /** Read but not parsed: nothing in it can matter unless something imports from it. */
  deferred?: { rel: string; lines: number };
  warnings: string[];
}

/**
 * Reads, parses and summarises one file; never throws for bad input, it warns. With `everything`,
 * the text prefilter is off: every file is parsed and every function body analysed.
 */
export async function analyseFile(ref: SourceRef, maxBytes: number, everything = false): Promise<FileResult> {
  try {
    const read = await readSource(ref, maxBytes);
    if (!read.ok) return { warnings: [read.warning] };
    if (everything) return await summariseText(ref.rel, read.text, 'all');
    if (!worthIndexing(read.text)) return { deferred: { rel: ref.rel, lines: countLines(read.text) }, warnings: [] };
    return await summariseText(ref.rel, read.text, looksRelevant(read.text) ? 'relevant' : 'none');
  } catch (error) {
    // One bad file must not stop the run (or leave a worker's batch unanswered).
    return { warnings: [`${ref.rel}: could not be analysed: ${describeError(error)}`] };
  }
}

export async function summariseText(rel: string, text: string, depth: Depth): Promise<FileResult> {
  const parser = await pythonParser();
  const tree = parser.parse(text);
  if (!tree) return { warnings: [`${rel}: could not be parsed`] };
  try {
    const summary = summarise(tree, text, rel, depth);
    const warnings = [
      ...summary.syntaxErrors.map((line) => `${rel}:${line}: syntax error, analysed the parts that parse`),
      ...summary.unanalysed.map((line) => `${rel}:${line}: function nested too deeply to analyse, skipped`),
    ];
    return { summary, warnings };
  } catch (error) {
    return { warnings: [`${rel}: could not be analysed: ${describeError(error)}`] };
  } finally {
    tree.delete();
  }
}

/** Synchronous parse on the main thread, for deferred modules and for analysing skipped function bodies. */
export function summariseSync(abs: string, rel: string, depth: Depth, parser: Parser): ModuleSummary | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch {
    return undefined;
  }
  const read = decodeSource(rel, bytes);
  if (!read.ok) return undefined;
  const tree = parser.parse(read.text);
  if (!tree) return undefined;
  try {
    return summarise(tree, read.text, rel, depth);
  } catch {
    return undefined;
  } finally {
    tree.delete();
  }
}
