import { loadavg } from 'node:os';
import path from 'node:path';
import { runProbe } from '../../src/engines/probe/engine.js';
import { formatBytes } from '../../src/engines/probe/growth.js';
import { PYTHON, TARGETS, freePort } from '../../test/helpers/processes.js';

// `npx tsx bench/probe/run.ts [repeats] [requests]`: full default probes (20,000 distinct-credential
// requests unless told otherwise) of the seed 004 FastAPI apps, leaky and safe; prints wall time,
// bytes/request and whether each verdict was right, so repeated runs measure reliability. Other work
// on the machine slows the app and adds RSS noise, so the load average is printed with every figure.
const repeats = Number(process.argv[2] ?? 1);
const requests = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const apps = ['seed_credential_store', 'seed_credential_store_safe'];
let failures = 0;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

for (let run = 1; run <= repeats; run++) {
  for (const app of apps) {
    const port = await freePort();
    const loadBefore = load();
    const started = Date.now();
    const report = await runProbe({
      cmd: `${PYTHON} -m uvicorn ${app}:app --host 127.0.0.1 --port ${port}`,
      url: `http://127.0.0.1:${port}/items`,
      cwd: path.resolve(TARGETS),
      // The seed reads `auth: str = Header(None)`, a header literally named "auth".
      authHeader: 'auth',
      ...(requests === undefined ? {} : { requests }),
    });
    const wall = (Date.now() - started) / 1000;
    const flagged = report.findings.some((f) => f.ruleId === 'probe.memory-growth');
    const expected = app === 'seed_credential_store';
    if (flagged !== expected) failures++;
    const s = report.stats;
    console.log(
      `${app.padEnd(28)} run ${run}: wall ${wall.toFixed(1)}s (memory phase ${(Number(s['memoryDurationMs']) / 1000).toFixed(1)}s, ${s['memoryRequests']} requests), ` +
        `${s['bytesPerRequest']} bytes/request (${formatBytes(Number(s['bytesPerRequest']) * 1e6)} per million; control ${s['controlBytesPerRequest']}), R² ${s['memoryFitR2']}, ${flagged ? 'FLAGGED' : 'not flagged'}${flagged === expected ? '' : '  <-- WRONG'}${wall >= 60 ? '  <-- over 60 s' : ''}` +
        `  [load ${loadBefore}]\n    ${s['memoryReason']}`,
    );
  }
}
console.log(`${repeats * apps.length} probes, ${failures} wrong verdicts; load average now ${load()}`);
process.exitCode = failures > 0 ? 1 : 0;
