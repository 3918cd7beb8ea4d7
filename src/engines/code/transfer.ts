import type { FileResult } from './analyse-file.js';
import { emptyFacts } from './python/facts.js';
import type { FunctionFacts } from './python/model.js';

/** Function facts without an analysed body: the fields that are known before analysis. */
type Unanalysed = Pick<FunctionFacts, 'name' | 'qname' | 'className' | 'line' | 'endLine' | 'params' | 'decorators' | 'analysed'>;

/**
 * Most functions of a large tree are not analysed; sending their empty fact lists across threads
 * costs more than parsing them. Workers pack, the main thread unpacks.
 */
export function pack(result: FileResult): FileResult {
  if (!result.summary) return result;
  const functions = result.summary.functions.map((f) => {
    if (f.analysed) return f;
    const slim: Unanalysed = { name: f.name, qname: f.qname, line: f.line, endLine: f.endLine, params: f.params, decorators: f.decorators, analysed: false };
    if (f.className) slim.className = f.className;
    return slim as FunctionFacts;
  });
  return { ...result, summary: { ...result.summary, functions } };
}

export function unpack(result: FileResult): FileResult {
  if (!result.summary) return result;
  const functions = result.summary.functions.map((f) =>
    f.analysed ? f : Object.assign(emptyFacts(f.name, f.qname, f.line, f.endLine, f.params, f.decorators), f.className ? { className: f.className } : {}),
  );
  return { ...result, summary: { ...result.summary, functions } };
}
