import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finding } from '../../test/fixtures/findings.js';
import { applyIgnores, loadConfig } from './config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-config-'));

describe('config', () => {
  it('is empty when no file exists', async () => {
    expect(await loadConfig(undefined, dir)).toMatchObject({ ignore: [] });
  });

  it('loads .portcullis.yml from the working directory', async () => {
    writeFileSync(path.join(dir, '.portcullis.yml'), 'failOn: high\nignore:\n  - auth.a\n');
    expect(await loadConfig(undefined, dir)).toMatchObject({ failOn: 'high', ignore: ['auth.a'] });
  });

  it('names the bad key in one line', async () => {
    const file = path.join(dir, 'bad.yml');
    writeFileSync(file, 'failOn: severe\n');
    await expect(loadConfig(file)).rejects.toThrow(/failOn/);
    writeFileSync(file, 'nonsense: 1\n');
    await expect(loadConfig(file)).rejects.toThrow(/Unrecognized key/);
    writeFileSync(file, 'a: [\n');
    await expect(loadConfig(file)).rejects.toThrow(/cannot read config/);
  });

  it('ignores by exact id, by prefix, and by path glob', async () => {
    const findings = [
      finding('auth.a', 'high'),
      finding('py.basic-auth.x', 'high', { location: { file: 'tests/test_app.py', line: 1 } }),
      finding('py.basic-auth.x', 'high', { location: { file: 'app/main.py', line: 1 } }),
    ];
    const { kept, suppressed } = applyIgnores(findings, {
      ignore: ['auth.a', { rule: 'py.basic-auth.*', paths: ['tests/**'], reason: 'fixtures' }],
    });
    expect(suppressed).toBe(2);
    expect(kept.map((f) => f.location.file)).toEqual(['app/main.py']);
  });
});
