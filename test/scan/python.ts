import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, PYTHON, TARGETS, type RunningTarget } from '../helpers/processes.js';
import { selfSignedCertificate } from './servers.js';

function answersHttps(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * A FastAPI app from test/targets served by uvicorn over HTTPS with a fresh self-signed certificate.
 * (The shared helper polls over plain HTTP.) Own process group, stopped by PID.
 */
export async function startHttpsUvicorn(appRef: string): Promise<RunningTarget> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-tls-'));
  const { key, cert } = selfSignedCertificate();
  writeFileSync(path.join(dir, 'key.pem'), key);
  writeFileSync(path.join(dir, 'cert.pem'), cert);
  const child = spawn(PYTHON, ['-m', 'uvicorn', appRef, '--host', '127.0.0.1', '--port', String(port), '--ssl-keyfile', path.join(dir, 'key.pem'), '--ssl-certfile', path.join(dir, 'cert.pem')], {
    cwd: TARGETS,
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    rmSync(dir, { recursive: true, force: true });
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
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
  };
  const url = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`uvicorn exited early: ${output.slice(-2000)}`);
    if (await answersHttps(url)) return { url, port, pid: child.pid!, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`uvicorn did not answer on ${url}: ${output.slice(-2000)}`);
}

/** test/targets/scan_blackhole.py: a port on 127.0.0.1 where no TCP handshake completes. Stopped by PID. */
export async function startBlackhole(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(PYTHON, [path.join(TARGETS, 'scan_blackhole.py')], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  };
  const port = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve)),
    exited.then(() => ''),
    new Promise<string>((resolve) => setTimeout(() => resolve(''), 20_000)),
  ]);
  if (!/^\d+$/.test(port)) {
    await stop();
    throw new Error('scan_blackhole.py did not start');
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
