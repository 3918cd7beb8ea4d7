import { execFile } from 'node:child_process';
import { ROOT } from '../helpers/processes.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `portcullis <args>` from source in a child process (memory capped, no TTY). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=192', '--import', 'tsx', 'src/cli/main.ts', ...args],
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
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (_error, stdout) => resolve(String(stdout).replace(/\x1b\[2K/g, '')));
  });
}
