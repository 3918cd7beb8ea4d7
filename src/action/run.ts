import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, EXIT, ToolError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { renderGithub } from '../reporters/github.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { isFormat } from '../reporters/index.js';
import { main } from '../cli/program.js';
import { readInputs, type ActionInputs } from './inputs.js';

const EXTENSION: Record<string, string> = { sarif: 'sarif', json: 'json', markdown: 'md', html: 'html', junit: 'xml', text: 'txt', gcc: 'txt', github: 'txt' };

/** The portcullis command line the inputs stand for; the JSON report always goes to report.json. */
export function cliArguments(inputs: ActionInputs, files: { json: string; extra: Map<string, string> }): string[] {
  const args: string[] = [inputs.engine];
  if (inputs.engine === 'probe') {
    if (!inputs.cmd) throw new ToolError('input cmd is required for the probe engine: the command that starts the app');
    args.push('--cmd', inputs.cmd, '--url', inputs.target);
  } else {
    args.push(inputs.target);
  }
  if (inputs.spec) args.push('--spec', inputs.spec);
  if (inputs.tier) args.push('--tier', inputs.tier);
  if (inputs.threshold) args.push('--threshold', inputs.threshold);
  if (inputs.failOn) args.push('--fail-on', inputs.failOn);
  if (inputs.baseline) args.push('--baseline', inputs.baseline);
  args.push('--format', 'json', '--output', files.json, '--quiet');
  for (const [format, file] of files.extra) args.push('--report', `${format}=${file}`);
  return [...args, ...inputs.args];
}

async function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): Promise<void> {
  const file = env['GITHUB_OUTPUT'];
  if (!file) return;
  await appendFile(file, Object.entries(outputs).map(([k, v]) => `${k}=${v.replace(/\r?\n/g, ' ')}\n`).join(''));
}

/**
 * The action's entry: runs the engine, writes the reports, sets the step outputs, appends the
 * Markdown summary to the job summary, prints annotations, and returns the gate's exit code.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    process.stdout.write(`::error::portcullis: ${describeError(error)}\n`);
    return EXIT.error;
  }
  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
  const outDir = path.resolve(workspace, inputs.outputDir);
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, 'report.json');
  const extra = new Map<string, string>();
  for (const format of inputs.formats) {
    if (!isFormat(format)) {
      process.stdout.write(`::error::portcullis: input format has an unknown format "${format}"\n`);
      return EXIT.error;
    }
    if (format !== 'json') extra.set(format, path.join(outDir, `report.${EXTENSION[format] ?? format}`));
  }
  // Credentials go to the engine through the environment, never through argv (visible in `ps`).
  if (inputs.auth) process.env['PORTCULLIS_AUTH'] = inputs.auth;
  const code = await main(['node', 'portcullis', ...cliArguments(inputs, { json, extra })]);
  let report: Report;
  try {
    report = JSON.parse(await readFile(json, 'utf8')) as Report;
  } catch {
    process.stdout.write(`::error::portcullis ${inputs.engine} did not produce a report (exit ${code})\n`);
    return code === EXIT.ok ? EXIT.error : code;
  }
  const newFindings = report.baseline ? report.baseline.new : report.findings.length;
  await setOutputs(env, {
    score: String(report.score),
    grade: report.grade,
    findings: String(report.findings.length),
    'new-findings': String(newFindings),
    'report-file': json,
    'sarif-file': extra.get('sarif') ?? '',
  });
  if (env['GITHUB_STEP_SUMMARY']) await appendFile(env['GITHUB_STEP_SUMMARY'], renderMarkdown(report));
  const annotated = report.baseline ? { ...report, findings: report.findings.filter((f) => f.baseline === 'new') } : report;
  process.stdout.write(renderGithub(annotated));
  return code;
}
