import { readFileSync, readdirSync } from 'node:fs';
import { runProbe, type ProbeOptions } from '../../src/engines/probe/engine.js';
import type { Report } from '../../src/core/report.js';
import { renderJson } from '../../src/reporters/json.js';
import { validateReport } from '../../src/core/report-schema.js';
import { PYTHON, TARGETS, freePort } from '../helpers/processes.js';

/** The start command of a target from test/targets on a free port, and the URL to probe. */
export async function target(kind: 'uvicorn' | 'node', app: string, path: string, extra = ''): Promise<{ cmd: string; url: string; port: number }> {
  const port = await freePort();
  const cmd =
    kind === 'uvicorn'
      ? `${PYTHON} -m uvicorn ${app}:app --host 127.0.0.1 --port ${port}${extra}`
      : `${process.execPath} ${app} ${port}${extra}`;
  return { cmd, url: `http://127.0.0.1:${port}${path}`, port };
}

/** Runs a probe from test/targets and checks the JSON report against the published schema. */
export async function probe(options: ProbeOptions): Promise<{ report: Report; json: string; ids: string[] }> {
  const report = await runProbe({ cwd: TARGETS, ...options });
  const json = renderJson(report);
  const problems = validateReport(JSON.parse(json));
  if (problems.length > 0) throw new Error(`invalid report: ${problems.join('; ')}`);
  return { report, json, ids: [...new Set(report.findings.map((f) => f.ruleId))].sort() };
}

/** Pids whose command line contains `marker` (a port number is unique enough): orphans, if any. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}
