import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Agent, request } from 'undici';
import { ToolError } from '../../core/errors.js';
import type { Redactor } from '../../core/redact.js';
import { FileTail, LogCapture } from './capture.js';
import { appProcesses, isAlive, listProcesses, rssOf } from './proctree.js';

export interface LaunchOptions {
  /** A shell command line, run with /bin/sh -c in a process group of its own. */
  cmd: string;
  /** Polled until it answers with any HTTP status. */
  url: string;
  cwd?: string;
  env?: Record<string, string>;
  readyTimeoutMs: number;
  logFile?: string;
  /** Masks the user's credentials in error messages that quote the app's output. */
  redactor: Redactor;
  signal?: AbortSignal;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const TERM_GRACE_MS = 3000;
const KILL_WAIT_MS = 2000;
const SYNC_GRACE_MS = 1500;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A running app: its output, its processes, its memory, and a teardown that leaves nothing behind.
 */
export class LaunchedApp {
  readonly logs = new LogCapture();
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  /** Every pid ever seen in the app's tree, so teardown finds children that outlived their parent. */
  private readonly seen = new Set<number>();
  private tail: FileTail | undefined;
  private stopped = false;

  constructor(
    readonly child: ChildProcess,
    readonly pid: number,
  ) {
    this.seen.add(pid);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    child.stdout?.setEncoding('utf8').on('data', (d: string) => this.logs.push('stdout', d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => this.logs.push('stderr', d));
  }

  async followFile(file: string): Promise<void> {
    this.tail = new FileTail(file, (chunk) => this.logs.push('file', chunk));
    await this.tail.start();
  }

  /** Whether --log-file existed at any point (undefined without one). */
  get logFileSeen(): boolean | undefined {
    return this.tail?.seen;
  }

  /** Reads the log file now (phases call this before they search the logs). */
  async pollFile(): Promise<void> {
    await this.tail?.poll();
  }

  /** The app's processes now: its group and the leader's descendants. */
  processes(): number[] {
    const pids = appProcesses(this.pid, listProcesses()).filter((pid) => isAlive(pid));
    for (const pid of pids) this.seen.add(pid);
    return pids;
  }

  /** Summed RSS of the app's processes, in bytes; 0 when none is left. */
  rss(pids = this.processes()): number {
    return pids.reduce((sum, pid) => sum + (rssOf(pid) ?? 0), 0);
  }

  /** SIGTERM to the group and every tracked pid, then SIGKILL to whatever is left. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.signalAll('SIGTERM');
    if (!(await this.waitGone(TERM_GRACE_MS))) {
      this.signalAll('SIGKILL');
      await this.waitGone(KILL_WAIT_MS);
    }
    // Only now: a Ctrl-C during the grace period must still find the app and kill it.
    unregister(this);
    await this.tail?.stop();
    this.logs.flush();
  }

  /** For signal and exit handlers, where nothing asynchronous runs any more: SIGTERM, a short wait, SIGKILL. */
  stopSync(): void {
    this.stopped = true;
    this.signalAll('SIGTERM');
    const deadline = Date.now() + SYNC_GRACE_MS;
    while (this.remaining().length > 0 && Date.now() < deadline) sleepSync(50);
    if (this.remaining().length > 0) this.signalAll('SIGKILL');
  }

  private remaining(): number[] {
    const now = new Set(this.processes());
    for (const pid of this.seen) if (isAlive(pid)) now.add(pid);
    return [...now];
  }

  private signalAll(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is empty already.
    }
    for (const pid of this.remaining()) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone meanwhile.
      }
    }
  }

  private async waitGone(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.remaining().length === 0 && this.exit !== undefined) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.remaining().length === 0;
  }
}

// Apps alive in this process. Ctrl-C or SIGTERM to portcullis must not leave them behind, and
// Node's default signal action exits without running any cleanup, hence these handlers.
const live = new Set<LaunchedApp>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onSignal(signal: NodeJS.Signals): void {
  for (const app of live) app.stopSync();
  live.clear();
  detachHandlers();
  // Die of the same signal, as the user asked.
  process.kill(process.pid, signal);
}

function onExit(): void {
  for (const app of live) app.stopSync();
}

function register(app: LaunchedApp): void {
  if (live.size === 0) {
    for (const s of SIGNALS) process.on(s, onSignal);
    process.on('exit', onExit);
  }
  live.add(app);
}

function unregister(app: LaunchedApp): void {
  live.delete(app);
  if (live.size === 0) detachHandlers();
}

function detachHandlers(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', onExit);
}

/**
 * Starts the command and waits until the URL answers. Throws a one-line ToolError when the
 * command is missing, exits before it is ready (with the tail of its output), or never answers.
 */
export async function launch(options: LaunchOptions): Promise<LaunchedApp> {
  await assertPortFree(options.url);
  const child = spawn('/bin/sh', ['-c', options.cmd], {
    cwd: options.cwd,
    // Unbuffered Python output, so log lines arrive when they happen rather than at exit.
    env: { ...process.env, PYTHONUNBUFFERED: '1', ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new ToolError(`cannot start /bin/sh to run the command`);
  const app = new LaunchedApp(child, child.pid);
  register(app);
  try {
    if (options.logFile) await app.followFile(options.logFile);
    await waitReady(app, options);
    return app;
  } catch (error) {
    await app.stop();
    throw error;
  }
}

/**
 * Something already listening there would answer the readiness check and take the probe's
 * traffic while the app itself fails to bind: every figure would describe the wrong server.
 */
async function assertPortFree(raw: string): Promise<void> {
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 80);
  const taken = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
  if (taken) throw new ToolError(`something already listens on ${url.host} before the app was started: stop it, or give the app and --url a free port`);
}

async function waitReady(app: LaunchedApp, options: LaunchOptions): Promise<void> {
  const agent = new Agent({ connect: { timeout: 1000 }, headersTimeout: 2000, bodyTimeout: 2000 });
  const deadline = Date.now() + options.readyTimeoutMs;
  try {
    while (Date.now() < deadline) {
      options.signal?.throwIfAborted();
      if (app.exit) throw exitedEarly(app, options);
      try {
        const response = await request(options.url, { dispatcher: agent, method: 'GET', signal: AbortSignal.timeout(2000) });
        await response.body.dump();
        return;
      } catch {
        await Promise.race([app.exited, new Promise((r) => setTimeout(r, 100))]);
      }
    }
    throw new ToolError(
      `the app did not answer on ${options.url} within ${Math.round(options.readyTimeoutMs / 1000)}s (raise --ready-timeout, or check --url)${tailOf(app, options)}`,
    );
  } finally {
    await agent.close();
  }
}

function exitedEarly(app: LaunchedApp, options: LaunchOptions): ToolError {
  app.logs.flush();
  const code = app.exit?.code;
  const first = options.cmd.trim().split(/\s+/)[0] ?? options.cmd;
  if (code === 127) return new ToolError(`command not found: ${first}${tailOf(app, options)}`);
  if (code === 126) return new ToolError(`command cannot be run (not executable?): ${first}${tailOf(app, options)}`);
  // A wrapper that backgrounds the server and returns: probe could not tell the server's exit from its own.
  if (code === 0 && app.processes().length > 0) {
    return new ToolError(`the command returned (code 0) and left its server in the background: run the server in the foreground (no "&", no daemon mode) so probe can watch and stop it${tailOf(app, options)}`);
  }
  const how = app.exit?.signal ? `was killed by ${app.exit.signal}` : `exited with code ${code}`;
  return new ToolError(`the app ${how} before it answered on ${options.url}${tailOf(app, options)}`);
}

/** The last lines of output, joined into the one-line error, with the user's secrets masked. */
function tailOf(app: LaunchedApp, options: LaunchOptions): string {
  const tail = app.logs.tail(8).split('\n').map((l) => l.trim()).filter(Boolean).join(' | ');
  return tail ? `; last output: ${options.redactor.redact(tail).slice(-600)}` : '; it printed nothing';
}
