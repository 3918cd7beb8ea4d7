import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runScan } from '../../src/engines/scan/engine.js';
import type { Tier } from '../../src/engines/scan/tiers.js';
import { OPERATIONS, PASSWORD } from './api.js';

// `node --import tsx bench/scan/run.ts`: scans a local API with 50 operations (bench/scan/api.ts, its
// own process) at each tier, several runs each, and prints wall time, request counts and the machine
// load. Targets: quick < 2 s, standard < 10 s on a 2-core machine. The first run of a tier in this
// process pays the cold start (module loading, JIT); the median is the figure compared with the target.

const RUNS = 5;
const LIMITS: Record<Tier, number> = { quick: 2_000, standard: 10_000, deep: Number.POSITIVE_INFINITY };
const root = path.resolve(import.meta.dirname, '../..');
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const api = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'api.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: api.stdout! }).once('line', resolve);
  api.once('exit', (code) => reject(new Error(`bench API exited (${code})`)));
});
const serverCount = async () => ((await (await fetch(`${url}/__count`)).json()) as { received: number }).received;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`machine: ${cpus().length} cores, load average ${load()}`);
console.log(`local API: ${OPERATIONS} operations (${OPERATIONS - OPERATIONS / 5} secured with Basic), ${url}, own process`);
console.log(`tier       runs (wall ms)                    median   requests  findings   load (1/5/15 min)   target`);
let failed = false;
try {
  for (const tier of ['quick', 'standard', 'deep'] as const) {
    const walls: number[] = [];
    let requests = 0;
    let findings = 0;
    for (let run = 0; run < RUNS; run++) {
      const before = await serverCount();
      const started = performance.now();
      const report = await runScan({ target: url, tier, auth: `basic:alice:${PASSWORD}`, knownUser: 'alice' });
      walls.push(performance.now() - started);
      requests = Number(report.stats['requests']);
      findings = report.findings.length;
      const seen = (await serverCount()) - before;
      if (seen !== requests) console.log(`  note: the API saw ${seen} requests, the report says ${requests}`);
    }
    const wall = median(walls);
    const ok = wall < LIMITS[tier];
    if (!ok) failed = true;
    const target = Number.isFinite(LIMITS[tier]) ? `< ${LIMITS[tier] / 1000} s ${ok ? 'ok' : 'MISSED'}` : '(none)';
    const runs = walls.map((w) => w.toFixed(0)).join(' ');
    console.log(`${tier.padEnd(10)} ${runs.padEnd(33)} ${wall.toFixed(0).padStart(6)}   ${String(requests).padStart(8)}  ${String(findings).padStart(8)}   ${load().padEnd(18)}  ${target}`);
  }
  // What a user sees: the built CLI, node start-up included (skipped when `npm run build` was not run).
  const cli = path.join(root, 'dist/cli/main.js');
  if (existsSync(cli)) {
    const started = performance.now();
    await new Promise<void>((resolve) => execFile(process.execPath, [cli, 'scan', url, '--tier', 'quick', '--auth', `basic:alice:${PASSWORD}`, '-f', 'json', '--quiet'], () => resolve()));
    console.log(`built CLI, quick tier, node start-up included: ${(performance.now() - started).toFixed(0)} ms (load ${load()})`);
  }
} finally {
  api.kill('SIGTERM');
}
process.exitCode = failed ? 1 : 0;
