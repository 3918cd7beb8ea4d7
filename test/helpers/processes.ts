import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter: it has python3-fastapi/uvicorn/flask; the pyenv one on PATH does not. */
export const PYTHON = '/usr/bin/python3';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TARGETS = path.join(ROOT, 'test/targets');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningTarget {
  url: string;
  port: number;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a command in its own process group on a free port and waits until `readyPath` answers.
 * `{port}` in the arguments is replaced. Stopped by PID (the whole group), SIGTERM then SIGKILL.
 */
export async function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; readyPath?: string; timeoutMs?: number } = {},
): Promise<RunningTarget> {
  const port = await freePort();
  const child = spawn(command, args.map((a) => a.replaceAll('{port}', String(port))), {
    cwd: options.cwd ?? TARGETS,
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const target: RunningTarget = { url, port, pid: child.pid!, output: () => output, stop: () => stopGroup(child) };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited early (${child.exitCode}): ${output.slice(-2000)}`);
    try {
      await fetch(url + (options.readyPath ?? '/'), { signal: AbortSignal.timeout(1000) });
      return target;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await target.stop();
  throw new Error(`${command} did not answer on ${url} in time: ${output.slice(-2000)}`);
}

/** A FastAPI/Starlette app `module:app` from test/targets, served by uvicorn. */
export function startUvicorn(appRef: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunningTarget> {
  return startProcess(PYTHON, ['-m', 'uvicorn', appRef, '--host', '127.0.0.1', '--port', '{port}', '--log-level', 'info'], options);
}

/** A Flask app `module:app` from test/targets, served by Flask's development server (threaded). */
export function startFlask(appRef: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunningTarget> {
  return startProcess(PYTHON, ['-m', 'flask', '--app', appRef, 'run', '--host', '127.0.0.1', '--port', '{port}'], options);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
}
