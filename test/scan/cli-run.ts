import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI } from '../helpers/cli.js';
import { ROOT } from '../helpers/processes.js';

/** The built CLI (`npm test` builds first): what users run, and half the start-up cost of tsx. */
function cli(): string {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  return CLI;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `portcullis <args>` in a child process (memory capped, no TTY). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=192', cli(), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error && typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : error ? 99 : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs the CLI under `script`, so stdout and stderr are a terminal; returns what the terminal showed. */
export function runCliOnTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, cli(), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (_error, stdout) => resolve(String(stdout).replace(/\x1b\[2K/g, '')));
  });
}
