import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/processes.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  types?: string[];
  pass_filenames?: boolean;
}

const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'portcullis-code')!;
const bin = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin)[0];

let repo: string;

/** What pre-commit does: the entry split like a shell would, the staged file names appended, run at the repository root. */
function runHook(files: string[]) {
  const [command, ...args] = hook.entry.split(/\s+/);
  expect(command).toBe(bin);
  return runCli([...args, ...files], { cwd: repo });
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'portcullis-pre-commit-'));
  mkdirSync(path.join(repo, 'app'));
  cpSync(path.join(ROOT, 'test/fixtures/code/pr-baseline-v2'), path.join(repo, 'app'), { recursive: true });
  writeFileSync(path.join(repo, 'app/__init__.py'), '');
  writeFileSync(path.join(repo, 'tools.py'), 'def add(a, b):\n    return a + b\n');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('.pre-commit-hooks.yaml portcullis-code', () => {
  it('is a node hook on Python files that receives the staged file names', () => {
    expect(hook.language).toBe('node');
    expect(hook.types).toEqual(['python']);
    expect(hook.pass_filenames).not.toBe(false);
  });

  it('fails the commit on a staged Basic-auth route without failure logging, in file:line:col form with repository paths', async () => {
    const run = await runHook(['app/auth.py', 'app/main.py', 'app/__init__.py']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('app/auth.py:35:1: error: get_admin() rejects credentials (401) without logging the failure');
    expect(run.stdout.trim().split('\n').every((l) => /^app\/auth\.py:\d+:\d+: (error|warning|note): .* \[py\.[a-z.-]+\]$/.test(l))).toBe(true);
    expect(run.stderr).toMatch(/gate failed/);
  });

  it('keeps repository paths when a single file is staged', async () => {
    const run = await runHook(['app/auth.py']);
    expect(run.stdout).toMatch(/^app\/auth\.py:\d+:1: /m);
  });

  it('passes a commit of clean Python files, silently', async () => {
    const run = await runHook(['tools.py']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
  });
});
