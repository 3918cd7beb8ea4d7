import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCode } from '../../src/engines/code/engine.js';
import { discoverPython, readSource } from '../../src/engines/code/python/sources.js';
import { CLI } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('code sources', () => {
  it('warns, not throws, when a discovered file cannot be read any more', async () => {
    writeFileSync(path.join(dir, 'vanishing.py'), 'x = 1\n');
    const { files } = await discoverPython([dir], dir);
    unlinkSync(path.join(dir, 'vanishing.py'));
    const read = await readSource(files[0]!, 1_000_000);
    expect(read).toEqual({ ok: false, warning: expect.stringMatching(/^vanishing\.py: cannot read: .*ENOENT/) });
  });

  it('warns about a file without read permission and analyses the rest', async () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(path.join(locked, 'readable.py'), 'PASSWORD = "hunter2"\n');
    writeFileSync(path.join(locked, 'locked.py'), 'password = "x"\n');
    chmodSync(path.join(locked, 'locked.py'), 0o000);
    let warnings: string[];
    let rules: string[];
    if (process.getuid?.() === 0) {
      // Root reads any file: run the built CLI as an unprivileged user, so the permission is real.
      chmodSync(dir, 0o755);
      const child = spawnSync(process.execPath, [CLI, 'code', locked, '--format', 'json'], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000 });
      expect(child.status, child.stderr).toBe(0);
      const report = JSON.parse(child.stdout) as { warnings: string[]; findings: { ruleId: string }[] };
      warnings = report.warnings;
      rules = report.findings.map((f) => f.ruleId);
    } else {
      const report = await runCode({ paths: [locked] });
      warnings = report.warnings;
      rules = report.findings.map((f) => f.ruleId);
    }
    expect(warnings).toContainEqual(expect.stringMatching(/^locked\.py: cannot read: .*EACCES/));
    expect(rules).toEqual(['py.basic-auth.hardcoded-credentials']);
  });
});
