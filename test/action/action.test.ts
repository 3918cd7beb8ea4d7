import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateReport } from '../../src/core/report-schema.js';
import { startVulnerableApi, type RunningApi } from '../../src/demo/vulnerable-api.js';
import { ROOT, TARGETS } from '../helpers/processes.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { processesWith, target } from '../probe/apps.js';

const ENTRY = path.join(ROOT, 'dist/action/main.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/code');

interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

let work: string;

/**
 * Runs the action's entry as the runner does: inputs as INPUT_* variables (dashes kept, as in
 * INPUT_FAIL-ON), the workspace as working directory, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
function runStep(workspace: string, inputs: Record<string, string>): Promise<Step> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first`);
  const files = mkdtempSync(path.join(work, 'step-'));
  const outputFile = path.join(files, 'output');
  const summaryFile = path.join(files, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
  delete env['PORTCULLIS_AUTH'];
  delete env['PORTCULLIS_PROBE_AUTH'];
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      resolve({ code, stdout, stderr, outputs, summary: readFileSync(summaryFile, 'utf8') });
    });
  });
}

/** A workspace holding a copy of a fixture project, at its root or in a subfolder. */
function workspaceWith(fixture: string, name: string, sub = ''): string {
  const workspace = path.join(work, name);
  mkdirSync(path.join(workspace, sub), { recursive: true });
  cpSync(path.join(FIXTURES, fixture), path.join(workspace, sub), { recursive: true });
  return workspace;
}

interface WorkflowStep {
  id?: string;
  uses?: string;
  with?: Record<string, string | number>;
}

/** The `with:` inputs of the portcullis steps of the ready workflow, RUNNER_TEMP filled in. */
function workflowSteps(runnerTemp: string): Record<string, string>[] {
  const workflow = parse(readFileSync(path.join(ROOT, 'docs/ci/pull-request.yml'), 'utf8')) as { jobs: Record<string, { steps: WorkflowStep[] }> };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
  expect(upload?.with?.['sarif_file']).toBe('${{ steps.portcullis.outputs.sarif-file }}');
  return steps
    .filter((s) => s.uses?.startsWith('portcullis-security/portcullis'))
    .map((s) => Object.fromEntries(Object.entries(s.with ?? {}).map(([k, v]) => [k, String(v).replaceAll('${{ runner.temp }}', runnerTemp)])));
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'portcullis-action-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('action.yml', () => {
  it('hands every input to the entry as INPUT_<NAME> and declares the outputs the entry sets', () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, { value: string }>;
      runs: { steps: { id?: string; run: string; env?: Record<string, string> }[] };
    };
    const step = action.runs.steps.find((s) => s.id === 'portcullis')!;
    expect(step.run).toContain('dist/action/main.js');
    const expected = Object.fromEntries(Object.keys(action.inputs).map((name) => [`INPUT_${name.toUpperCase()}`, `\${{ inputs.${name} }}`]));
    expect(step.env).toEqual(expected);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['engine', 'target', 'spec', 'auth', 'tier', 'threshold', 'fail-on', 'baseline', 'format', 'output-dir']));
    for (const name of ['score', 'grade', 'findings', 'new-findings', 'sarif-file', 'report-file']) {
      expect(action.outputs[name]?.value).toBe(`\${{ steps.portcullis.outputs.${name} }}`);
    }
    // The ready workflow only uses inputs the action declares.
    for (const inputs of workflowSteps('/tmp')) expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(Object.keys(inputs)));
  });
});

describe('action entry, code engine', () => {
  it('docs/ci/pull-request.yml, run step by step: fails a pull request that adds a Basic-auth route without failure logging', async () => {
    // The workflow's layout: the pull request is the workspace, the base branch a worktree in RUNNER_TEMP.
    const workspace = workspaceWith('pr-baseline-v2', 'pr');
    const runnerTemp = mkdtempSync(path.join(work, 'runner-temp-'));
    cpSync(path.join(FIXTURES, 'pr-baseline-v1'), path.join(runnerTemp, 'base'), { recursive: true });
    const steps = workflowSteps(runnerTemp);
    expect(steps).toHaveLength(2);
    const [baseInputs, prInputs] = steps as [Record<string, string>, Record<string, string>];

    const baseStep = await runStep(workspace, baseInputs);
    expect(baseStep.code).toBe(0);
    expect(baseStep.outputs['report-file']).toBe(path.join(runnerTemp, 'base-results', 'report.json'));
    expect(baseStep.outputs['sarif-file']).toBe('');

    const pr = await runStep(workspace, prInputs);
    expect(pr.code).toBe(1);
    expect(pr.stderr).toMatch(/gate failed: new route DELETE \/admin\/users\/\{name\} uses Basic auth through get_admin\(\)/);
    const { outputs } = pr;
    expect(Number(outputs['score'])).toBeGreaterThanOrEqual(0);
    expect(outputs['grade']).toMatch(/^[A-F]$/);
    expect(outputs['findings']).toBe('4');
    expect(outputs['new-findings']).toBe('3');
    expect(outputs['sarif-file']).toBe(path.join(workspace, 'portcullis-results', 'report.sarif'));

    const sarif = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8')) as { runs: { results: { ruleId: string; baselineState?: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(validateSarif(sarif)).toEqual([]);
    const failure = sarif.runs[0]!.results.find((r) => r.ruleId === 'py.basic-auth.failure-not-logged')!;
    expect(failure.baselineState).toBe('new');
    expect(failure.locations[0]!.physicalLocation.artifactLocation.uri).toBe('auth.py');
    expect(validateReport(JSON.parse(readFileSync(outputs['report-file']!, 'utf8')))).toEqual([]);

    // Annotations for the new findings only, on the line of the auth function's rejection.
    const annotations = pr.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(3);
    expect(annotations).toContainEqual(expect.stringMatching(/^::error file=auth\.py,line=35,title=py\.basic-auth\.failure-not-logged%3A .*::get_admin\(\) rejects credentials/));
    expect(annotations.some((a) => a.includes('get_user'))).toBe(false);
    expect(pr.summary).toContain('Against baseline: **3 new**, 1 unchanged');
    expect(pr.summary).toContain('**Gate failed**');
  }, 60_000);

  it('passes the same code against its own report, with no annotations', async () => {
    const workspace = workspaceWith('pr-baseline-v1', 'same');
    const first = await runStep(workspace, { engine: 'code', target: '.', format: 'json', 'output-dir': 'base' });
    expect(first.code).toBe(0);
    const again = await runStep(workspace, { engine: 'code', target: '.', baseline: 'base/report.json' });
    expect(again.code).toBe(0);
    expect(again.outputs['new-findings']).toBe('0');
    expect(again.stdout).not.toContain('::');
    expect(again.summary).toContain('Gate passed.');
  }, 60_000);

  it('gives repository paths for a project in a subfolder, so annotations land on the right file', async () => {
    const workspace = workspaceWith('pr-baseline-v2', 'mono', 'services/api');
    const step = await runStep(workspace, { engine: 'code', target: 'services/api', 'fail-on': 'high' });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(/^::error file=services\/api\/auth\.py,line=35,/m);
    const sarif = readFileSync(step.outputs['sarif-file']!, 'utf8');
    expect(sarif).toContain('"uri": "services/api/auth.py"');
  }, 60_000);
});

describe('action entry, scan and probe engines', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startVulnerableApi();
  });
  afterAll(() => api.close());

  it('scans a local API: outputs, summary, annotations, threshold gate, and the auth secret nowhere', async () => {
    const secret = 'Action-secret-9f3';
    const workspace = mkdtempSync(path.join(work, 'scan-'));
    const step = await runStep(workspace, { engine: 'scan', target: api.url, auth: `basic:alice:${secret}`, tier: 'quick', threshold: '90', format: 'sarif,junit' });
    expect(step.code).toBe(1);
    expect(step.stderr).toMatch(/gate failed: score \d+ .*below the threshold 90/);
    expect(Number(step.outputs['score'])).toBeLessThan(90);
    expect(Number(step.outputs['findings'])).toBeGreaterThan(0);
    expect(step.outputs['new-findings']).toBe(step.outputs['findings']);
    expect(step.stdout).toMatch(/^::error title=auth\.[a-z-]+%3A .*::GET \/api\/items: /m);
    expect(step.summary).toMatch(/portcullis scan: grade \*\*[A-F]\*\*/);
    expect(validateSarif(JSON.parse(readFileSync(step.outputs['sarif-file']!, 'utf8')))).toEqual([]);
    expect(existsSync(path.join(workspace, 'portcullis-results', 'report.xml'))).toBe(true);
    const written = ['report.json', 'report.sarif', 'report.xml'].map((f) => readFileSync(path.join(workspace, 'portcullis-results', f), 'utf8'));
    for (const text of [step.stdout, step.stderr, step.summary, JSON.stringify(step.outputs), ...written]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(`alice:${secret}`).toString('base64'));
    }
  }, 90_000);

  it('gives the auth input to probe, whose success checks need it', async () => {
    const t = await target('uvicorn', 'seed_logging_naive', '/secure');
    const workspace = mkdtempSync(path.join(work, 'probe-'));
    const step = await runStep(workspace, { engine: 'probe', target: t.url, cmd: `cd ${TARGETS} && ${t.cmd}`, auth: 'basic:alice:secret123', args: '--requests 0 --burst 5' });
    expect(step.code).toBe(0);
    const report = readFileSync(step.outputs['report-file']!, 'utf8');
    expect(report).toContain('probe.auth-success-not-logged');
    expect(report + step.stdout + step.stderr + step.summary).not.toContain('secret123');
    expect(processesWith(`--port ${t.port}`)).toEqual([]);
  }, 90_000);
});

describe('action entry, bad input', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no target', { engine: 'code' }, /input target is required/],
    ['unknown engine', { engine: 'watch', target: '.' }, /input engine must be one of scan, code, probe, not "watch"/],
    ['an input of another engine', { engine: 'code', target: '.', tier: 'deep' }, /input tier does not apply to the code engine, only to scan/],
    ['unknown format', { engine: 'code', target: '.', format: 'sarif,pdf' }, /unknown format "pdf"/],
    ['probe without cmd', { engine: 'probe', target: 'http://127.0.0.1:9/' }, /input cmd is required/],
  ];
  for (const [label, inputs, message] of cases) {
    it.concurrent(`${label}: one ::error line, exit 2`, async () => {
      const step = await runStep(workspaceWith('pr-baseline-v1', `bad-${label.replace(/\W+/g, '-')}`), inputs);
      expect(step.code).toBe(2);
      expect(step.stdout.trim().split('\n')).toEqual([expect.stringMatching(message)]);
      expect(step.stdout).toMatch(/^::error title=portcullis::portcullis: /);
      expect(step.stderr).not.toMatch(/\n\s+at /);
      expect(step.outputs).toEqual({});
    });
  }

  it('a target that does not exist: exit 2, and a report left by an earlier step is not taken for this one', async () => {
    const workspace = workspaceWith('pr-baseline-v1', 'stale');
    expect((await runStep(workspace, { engine: 'code', target: '.' })).code).toBe(0);
    const step = await runStep(workspace, { engine: 'code', target: 'no-such-dir' });
    expect(step.code).toBe(2);
    expect(step.stderr).toMatch(/^portcullis: error: path does not exist/m);
    expect(step.stdout).toMatch(/^::error title=portcullis::portcullis code did not produce a report \(exit 2\)/);
    expect(step.outputs).toEqual({});
  }, 60_000);
});
