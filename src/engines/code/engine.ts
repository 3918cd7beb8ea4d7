import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError, describeError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import { buildReport, type Report, type ToolErrorEntry } from '../../core/report.js';
import { analyseFile, summariseSync, type FileResult } from './analyse-file.js';
import { toFinding } from './context.js';
import { buildInventory, type InventoryEntry } from './inventory.js';
import { AuthAnalysis } from './python/auth.js';
import type { ModuleSummary } from './python/model.js';
import { pythonParser } from './python/parser.js';
import { Project } from './python/project.js';
import { discoverPython } from './python/sources.js';
import { CODE_RULES } from './rules/index.js';
import { analyseInWorkers } from './workers.js';

export interface CodeOptions {
  /** Files or directories to analyse. */
  paths: string[];
  /** Findings name files relative to this; default: the single directory given, else the working directory. */
  root?: string;
  /** Files larger than this are skipped with a warning. */
  maxFileBytes?: number;
  /** Worker threads for parsing; default: one per core when there are many files, none otherwise. */
  workers?: number;
  /**
   * Parse every file and analyse every function body, instead of deferring files whose text no
   * rule can match. Findings are the same; it measures (and proves) what the prefilter saves.
   */
  analyseEverything?: boolean;
}

export interface CodeResult {
  report: Report;
  inventory: InventoryEntry[];
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
const WORKER_THRESHOLD_FILES = 200;

export async function runCode(options: CodeOptions): Promise<Report> {
  return (await analyseProject(options)).report;
}

/** The full run: discovery, parsing, the project model, every rule, suppressions, the report. */
export async function analyseProject(options: CodeOptions): Promise<CodeResult> {
  const startedAt = new Date();
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const root = path.resolve(options.root ?? (await defaultRoot(paths)));
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const discovery = await discoverPython(paths.map((p) => path.resolve(p)), root);
  const warnings = [...discovery.warnings];
  if (discovery.missing.length > 0) {
    if (discovery.files.length === 0) throw new ToolError(`path does not exist: ${discovery.missing.join(', ')}`);
    warnings.push(...discovery.missing.map((m) => `${m}: does not exist, skipped`));
  }
  if (discovery.files.length === 0) throw new ToolError(`no Python files under ${paths.join(', ')}`);

  const workers = options.workers ?? (discovery.files.length >= WORKER_THRESHOLD_FILES ? 2 : 0);
  let results: FileResult[] | undefined;
  if (workers > 0) {
    results = await analyseInWorkers(discovery.files, maxBytes, workers, options.analyseEverything).catch((error: unknown) => {
      warnings.push(`worker threads unavailable (${describeError(error)}), parsing on the main thread`);
      return undefined;
    });
  }
  results ??= await Promise.all(discovery.files.map((f) => analyseFile(f, maxBytes, options.analyseEverything)));
  const summaries: ModuleSummary[] = [];
  const deferred: string[] = [];
  let lines = 0;
  for (const r of results) {
    warnings.push(...r.warnings);
    if (r.summary) summaries.push(r.summary);
    if (r.deferred) deferred.push(r.deferred.rel);
    lines += r.summary?.lines ?? r.deferred?.lines ?? 0;
  }
  if (summaries.length === 0 && deferred.length === 0) {
    throw new ToolError(`none of the ${discovery.files.length} Python files could be analysed: ${warnings[0] ?? ''}`);
  }

  const parser = await pythonParser();
  const absOf = new Map(discovery.files.map((f) => [f.rel, f.abs]));
  const project = new Project(summaries, deferred, {
    load: (rel) => summariseSync(absOf.get(rel) ?? path.resolve(root, rel), rel, 'none', parser),
    deepen: (module) => summariseSync(absOf.get(module.rel) ?? path.resolve(root, module.rel), module.rel, 'all', parser) ?? { ...module, deep: true },
  });
  const auth = new AuthAnalysis(project);
  const errors: ToolErrorEntry[] = [];
  const findings: Finding[] = [];
  let suppressed = 0;
  for (const rule of CODE_RULES) {
    try {
      for (const hit of await rule.check({ project, auth })) {
        const module = project.summaries.find((m) => m.rel === hit.file);
        const ignored = module?.suppressions[hit.line] ?? [];
        if (ignored.some((id) => id === rule.id || id === '*' || (id.endsWith('.*') && rule.id.startsWith(id.slice(0, -1))))) {
          suppressed++;
          continue;
        }
        findings.push(toFinding(rule, hit));
      }
    } catch (error) {
      errors.push({ ruleId: rule.id, message: describeError(error) });
    }
  }
  const inventory = buildInventory(auth);
  const report = buildReport({
    engine: 'code',
    target: root,
    startedAt,
    findings,
    rules: CODE_RULES,
    stats: {
      files: summaries.length + deferred.length,
      skippedFiles: results.length - summaries.length - deferred.length,
      lines,
      parsedFiles: project.summaries.length,
      functions: project.summaries.reduce((n, m) => n + m.functions.length, 0),
      analysedFunctions: project.summaries.reduce((n, m) => n + m.functions.filter((f) => f.analysed).length, 0),
      routes: inventory.length,
      basicAuthFunctions: auth.roots().length,
      inlineSuppressed: suppressed,
    },
    errors,
    warnings,
  });
  return { report, inventory };
}

async function defaultRoot(paths: string[]): Promise<string> {
  if (paths.length === 1) {
    const info = await stat(paths[0]!).catch(() => undefined);
    if (info?.isDirectory()) return paths[0]!;
    if (info?.isFile()) return path.dirname(paths[0]!);
  }
  return process.cwd();
}
