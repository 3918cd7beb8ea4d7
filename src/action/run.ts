import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describeError, EXIT, ToolError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { AUTH_ENV } from '../engines/scan/auth.js';
import { renderGithub } from '../reporters/github.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { isFormat } from '../reporters/index.js';
import { readInputs, type ActionInputs } from './inputs.js';

const EXTENSION: Record<string, string> = { sarif: 'sarif', json: 'json', markdown: 'md', html: 'html', junit: 'xml', text: 'txt', gcc: 'txt', github: 'txt' };
// Where each engine reads credentials from when they are not on the command line.
const AUTH_VARIABLE = { scan: AUTH_ENV, probe: 'PORTCULLIS_PROBE_AUTH' } as const;

/**
 * code: file paths relative to the workspace (the repository root) when the target is inside it,
 * so annotations and SARIF locations point at repository files; an explicit root wins.
 */
function codeRoot(inputs: ActionInputs, workspace: string): string | undefined {
  if (inputs.root) return path.resolve(workspace, inputs.root);
  const relative = path.relative(workspace, path.resolve(workspace, inputs.target));
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : workspace;
}

/** The portcullis command line the inputs stand for; the JSON report always goes to report.json. */
export function cliArguments(inputs: ActionInputs, files: { json: string; extra: Map<string, string> }, workspace: string): string[] {
  const args: string[] = [inputs.engine];
  if (inputs.engine === 'probe') {
    if (!inputs.cmd) throw new ToolError('input cmd is required for the probe engine: the command that starts the app');
    args.push('--cmd', inputs.cmd, '--url', inputs.target);
  } else {
    args.push(inputs.engine === 'code' ? path.resolve(workspace, inputs.target) : inputs.target);
  }
  if (inputs.engine === 'code') {
    const root = codeRoot(inputs, workspace);
    if (root) args.push('--root', root);
  }
  if (inputs.spec) args.push('--spec', inputs.spec);
  if (inputs.tier) args.push('--tier', inputs.tier);
  if (inputs.threshold) args.push('--threshold', inputs.threshold);
  if (inputs.failOn) args.push('--fail-on', inputs.failOn);
  if (inputs.baseline) args.push('--baseline', path.resolve(workspace, inputs.baseline));
  args.push('--format', 'json', '--output', files.json, '--quiet');
  for (const [format, file] of files.extra) args.push('--report', `${format}=${file}`);
  return [...args, ...inputs.args];
}

/** Step outputs, in the `name=value` lines GITHUB_OUTPUT takes (every value here is one line). */
async function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): Promise<void> {
  const file = env['GITHUB_OUTPUT'];
  if (!file) return;
  await appendFile(file, Object.entries(outputs).map(([k, v]) => `${k}=${v.replace(/\r?\n/g, ' ')}\n`).join(''));
}

function fail(message: string): number {
  process.stdout.write(`::error title=portcullis::${message.replace(/%/g, '%25').replace(/\r?\n/g, ' ')}\n`);
  return EXIT.error;
}

interface Plan {
  inputs: ActionInputs;
  args: string[];
  json: string;
  extra: Map<string, string>;
}

/** Reads and checks the inputs and prepares the output folder; throws a ToolError on bad input. */
async function plan(env: NodeJS.ProcessEnv, workspace: string): Promise<Plan> {
  const inputs = readInputs(env);
  const outDir = path.resolve(workspace, inputs.outputDir);
  const json = path.join(outDir, 'report.json');
  const extra = new Map<string, string>();
  for (const format of inputs.formats) {
    if (!isFormat(format)) throw new ToolError(`input format has an unknown format "${format}"`);
    if (format !== 'json') extra.set(format, path.join(outDir, `report.${EXTENSION[format] ?? format}`));
  }
  const args = cliArguments(inputs, { json, extra }, workspace);
  await mkdir(outDir, { recursive: true });
  // A report left by an earlier step must not pass for this run's.
  await rm(json, { force: true });
  return { inputs, args, json, extra };
}

/**
 * The action's entry: runs the engine, writes the reports, sets the step outputs, appends the
 * Markdown summary to the job summary, prints annotations, and returns the gate's exit code.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const workspace = path.resolve(env['GITHUB_WORKSPACE'] ?? process.cwd());
  let planned: Plan;
  try {
    planned = await plan(env, workspace);
  } catch (error) {
    return fail(`portcullis: ${describeError(error)}`);
  }
  const { inputs, args, json, extra } = planned;

  // Credentials reach the engine through the environment, never argv (visible to `ps`) or the log.
  const variable = inputs.engine === 'code' ? undefined : AUTH_VARIABLE[inputs.engine];
  if (variable && inputs.auth) process.env[variable] = inputs.auth;
  let code: number;
  try {
    // Loaded only now: the engines take a while to import, and bad input should fail fast.
    const { main } = await import('../cli/program.js');
    code = await main(['node', 'portcullis', ...args]);
  } finally {
    if (variable) delete process.env[variable];
  }

  let report: Report;
  try {
    report = JSON.parse(await readFile(json, 'utf8')) as Report;
  } catch {
    fail(`portcullis ${inputs.engine} did not produce a report (exit ${code}); the log above says why`);
    return code === EXIT.ok ? EXIT.error : code;
  }
  await setOutputs(env, {
    score: String(report.score),
    grade: report.grade,
    findings: String(report.findings.length),
    'new-findings': String(report.baseline ? report.baseline.new : report.findings.length),
    'report-file': json,
    'sarif-file': extra.get('sarif') ?? '',
  });
  const verdict = code === EXIT.ok ? 'Gate passed.' : code === EXIT.gateFailed ? '**Gate failed**: the job log says why.' : `portcullis stopped with an error (exit ${code}).`;
  if (env['GITHUB_STEP_SUMMARY']) await appendFile(env['GITHUB_STEP_SUMMARY'], `${renderMarkdown(report)}\n${verdict}\n\n`);
  // With a baseline, only what the pull request brings in is annotated.
  const annotated = report.baseline ? { ...report, findings: report.findings.filter((f) => f.baseline === 'new') } : report;
  process.stdout.write(renderGithub(annotated));
  return code;
}
