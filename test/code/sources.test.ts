import { chmodSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCode } from '../../src/engines/code/engine.js';
import { discoverPython, readSource } from '../../src/engines/code/python/sources.js';

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

  it('warns about a file without read permission (when not running as root, which bypasses it)', async () => {
    const file = path.join(dir, 'locked.py');
    writeFileSync(file, 'password = "x"\n');
    chmodSync(file, 0o000);
    const report = await runCode({ paths: [dir] });
    const root = process.getuid?.() === 0;
    expect(report.warnings.some((w) => /^locked\.py: cannot read: .*EACCES/.test(w))).toBe(!root);
    expect(report.engine).toBe('code');
  });
});
