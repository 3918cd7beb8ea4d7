import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/processes.js';

/** `portcullis code` as a user runs it (the built CLI): reports, inventory, the PR gate, bad input. */
const FIXTURES = path.join(ROOT, 'test/fixtures/code');
const work = mkdtempSync(path.join(tmpdir(), 'portcullis-code-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const noCrash = (stderr: string): void => {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
};

describe('portcullis code', () => {
  it('writes a schema-valid JSON report with exact locations, and exits 0 without a gate', async () => {
    const result = await runCli(['code', path.join(FIXTURES, 'seed-credential-store'), '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { engine: string; findings: { ruleId: string; location: { file: string; line: number } }[] };
    expect(validateReport(report)).toEqual([]);
    expect(report.engine).toBe('code');
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'py.basic-auth.credential-retained', location: expect.objectContaining({ file: 'app.py', line: 25 }) }));
    // --no-prefilter parses and analyses everything: slower, the same findings.
    const everything = await runCli(['code', path.join(FIXTURES, 'seed-credential-store'), '--format', 'json', '--no-prefilter']);
    const full = JSON.parse(everything.stdout) as typeof report & { stats: Record<string, number> };
    expect(full.findings).toEqual(report.findings);
    expect(full.stats['analysedFunctions']).toBe(full.stats['functions']);
  });

  it('lists routes with auth scheme, auth function, logging and rate limiting (text and JSON)', async () => {
    const dir = path.join(FIXTURES, 'multi-module');
    const text = await runCli(['code', dir, '--inventory']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/GET\s+\/api\/items\/\s+basic\s+app\/core\/security\.py:require_user\s+yes/);
    const json = await runCli(['code', dir, '--inventory', '--format', 'json']);
    const routes = (JSON.parse(json.stdout) as { routes: Record<string, unknown>[] }).routes;
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/admin/stats', auth: 'basic', authFunction: 'app/core/security.py:AdminChecker.__call__', failuresLogged: false, rateLimited: false }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/health', auth: 'none', authFunction: null }));
    // Dependencies given to include_router() in main.py protect the routes of an undecorated router.
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/reports/daily', auth: 'basic', authFunction: 'app/core/security.py:require_user' }));
  });

  it('fails a pull request that adds a Basic-auth route without failure logging, naming the route', async () => {
    const baseline = path.join(work, 'v1.json');
    expect((await runCli(['code', path.join(FIXTURES, 'pr-baseline-v1'), '--format', 'json', '--output', baseline])).code).toBe(0);
    const same = await runCli(['code', path.join(FIXTURES, 'pr-baseline-v1'), '--baseline', baseline]);
    expect(same.code).toBe(0);
    const pr = await runCli(['code', path.join(FIXTURES, 'pr-baseline-v2'), '--baseline', baseline]);
    expect(pr.code).toBe(1);
    expect(pr.stderr).toMatch(/gate failed: new route DELETE \/admin\/users\/\{name\} uses Basic auth through get_admin\(\): rejected basic credentials are not logged/);
  });

  it('gates a new route that reuses an accepted, unlogged auth function even though no finding is new', async () => {
    const project = path.join(work, 'legacy');
    cpSync(path.join(FIXTURES, 'seed-credential-store'), project, { recursive: true });
    const baseline = path.join(work, 'legacy.json');
    await runCli(['code', project, '--format', 'json', '--output', baseline]);
    appendFileSync(path.join(project, 'app.py'), "\n\n@app.get('/admin')\ndef admin(user: str = Depends(get_basic_auth)):\n    return {}\n");
    const pr = await runCli(['code', project, '--baseline', baseline, '--format', 'json']);
    expect(pr.code).toBe(1);
    expect((JSON.parse(pr.stdout) as { baseline: { new: number } }).baseline.new).toBe(0);
    expect(pr.stderr).toMatch(/new route GET \/admin uses Basic auth through get_basic_auth\(\): rejected basic credentials are not logged/);
  });

  it('honours the config ignore list and inline suppressions', async () => {
    const config = path.join(work, 'portcullis.yml');
    writeFileSync(config, 'ignore:\n  - py.basic-auth.hardcoded-credentials\n  - rule: py.basic-auth.no-rate-limit\n    paths: ["app.py"]\n');
    const result = await runCli(['code', path.join(FIXTURES, 'seed-logging-naive'), '--format', 'json', '--config', config]);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[]; stats: Record<string, number> };
    const ids = report.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('py.basic-auth.hardcoded-credentials');
    expect(ids).not.toContain('py.basic-auth.no-rate-limit');
    expect(ids).toContain('py.basic-auth.success-not-logged');
    const inline = await runCli(['code', path.join(FIXTURES, 'rule-cases'), '--format', 'json']);
    expect((JSON.parse(inline.stdout) as { stats: Record<string, number> }).stats['inlineSuppressed']).toBe(2);
  });

  it('analyses what parses and warns about bad files with their name, never crashing', async () => {
    const dir = path.join(work, 'bad');
    cpSync(path.join(FIXTURES, 'seed-credential-store'), dir, { recursive: true });
    // A syntax error below valid code: the valid part is still analysed.
    appendFileSync(path.join(dir, 'app.py'), '\n\ndef broken(:\n    pass\n');
    writeFileSync(path.join(dir, 'latin1.py'), Buffer.from('# caf\xe9\npassword = "x"\n', 'latin1'));
    writeFileSync(path.join(dir, 'blob.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    writeFileSync(path.join(dir, 'huge.py'), `x = 1\n${'# padding\n'.repeat(20_000)}`);
    // Generated code nested deeper than the walker's stack: that body is skipped with a warning.
    writeFileSync(path.join(dir, 'generated.py'), `def table(password):\n    x = ${'['.repeat(5000)}${']'.repeat(5000)}\n    return password == x\n`);
    symlinkSync('.', path.join(dir, 'loop'));
    symlinkSync('does-not-exist.py', path.join(dir, 'gone.py'));
    const result = await runCli(['code', dir, '--format', 'json', '--max-file-size', '100000']);
    noCrash(result.stderr);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[]; warnings: string[] };
    expect(report.findings.map((f) => f.ruleId)).toContain('py.basic-auth.credential-retained');
    const warnings = report.warnings.join('\n');
    expect(warnings).toMatch(/app\.py:\d+: syntax error/);
    expect(warnings).toMatch(/latin1\.py: skipped: not valid UTF-8/);
    expect(warnings).toMatch(/blob\.py: skipped: binary file/);
    expect(warnings).toMatch(/huge\.py: skipped: \d+ bytes is over the 100000-byte cap/);
    expect(warnings).toMatch(/loop: skipped: symlink loop/);
    expect(warnings).toMatch(/generated\.py:1: function nested too deeply to analyse, skipped/);
    expect(warnings).toMatch(/gone\.py: skipped: broken symlink/);
  });

  it('exits 2 with one clear line when nothing can be analysed', async () => {
    const empty = path.join(work, 'empty');
    cpSync(path.join(FIXTURES, 'seed-credential-store'), empty, { recursive: true, filter: (src) => !src.endsWith('.py') });
    const onlyBinary = path.join(work, 'only-binary');
    cpSync(empty, onlyBinary, { recursive: true });
    writeFileSync(path.join(onlyBinary, 'x.py'), Buffer.from([0, 1, 2, 3]));
    for (const [target, message] of [
      [empty, /^portcullis: error: no Python files under .*empty\n$/],
      [path.join(work, 'missing'), /^portcullis: error: path does not exist: .*missing\n$/],
      [onlyBinary, /^portcullis: error: none of the 1 Python files could be analysed: x\.py: skipped: binary file/],
    ] as const) {
      const result = await runCli(['code', target]);
      expect(result.code, target).toBe(2);
      expect(result.stderr).toMatch(message);
      noCrash(result.stderr);
    }
  });
});

