import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rng } from '../../test/watch/generator.js';

export const START = Date.UTC(2024, 4, 1, 0, 0, 0);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export interface BenchEvent {
  time: number;
  failure: boolean;
  ip: string;
  user: string;
}

/**
 * `count` events at `perSecond` event-time rate: benign logins from `ips` addresses (a typo, then the
 * success, 5% of the time) and, every `attackEvery` events, one failure of a brute force from 203.0.113.x
 * (each attacker: 40 failures).
 */
export function* traffic(count: number, options: { ips: number; users: number; perSecond: number; attackers: number; seed?: number }): Generator<BenchEvent> {
  const random = rng(options.seed ?? 1);
  const attackEvery = Math.floor(count / (options.attackers * 40));
  for (let i = 0; i < count; i++) {
    const time = START + Math.floor((i * 1000) / options.perSecond);
    if (options.attackers > 0 && i % attackEvery === 0 && i / attackEvery < options.attackers * 40) {
      const attacker = Math.floor(i / attackEvery / 40);
      yield { time, failure: true, ip: `203.0.113.${attacker}`, user: 'admin' };
      continue;
    }
    const n = Math.floor(random() * options.ips);
    const benign = { time, failure: false, ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, user: `user${n % options.users}` };
    if (random() < 0.05 && i + 1 < count) {
      yield { ...benign, failure: true };
      i++;
    }
    yield benign;
  }
}

export function jsonLine(e: BenchEvent, n: number): string {
  return `{"timestamp":"${new Date(e.time).toISOString()}","level":"${e.failure ? 'WARNING' : 'INFO'}","event":"${e.failure ? 'auth_failure' : 'auth_success'}","username":"${e.user}","client_ip":"${e.ip}","method":"GET","path":"/secure","correlation_id":"${n.toString(16)}"}`;
}

export function accessLine(e: BenchEvent): string {
  const d = new Date(e.time);
  const time = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return `${e.ip} - ${e.user} [${time}] "GET /secure HTTP/1.1" ${e.failure ? 401 : 200} ${e.failure ? 23 : 512} "-" "bench/1.0"`;
}

/** `2024-05-01 12:00:00,000`, Python logging's asctime (UTC). */
function asctime(time: number): string {
  return new Date(time).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
}

/** Python logging text with the extras as key=value pairs and, every other line, as a dict repr. */
export function pythonLine(e: BenchEvent, n: number): string {
  const [level, event] = e.failure ? ['WARNING', 'auth_failure'] : ['INFO', 'auth_success'];
  if (n % 2 === 0) return `${asctime(e.time)} ${level} [app.auth] ${event} username=${e.user} client_ip=${e.ip} method=GET path=/secure correlation_id=${n.toString(16)}`;
  return `${asctime(e.time)} ${level} app.auth: ${event} {'event': '${event}', 'username': '${e.user}', 'client_ip': '${e.ip}', 'method': 'GET', 'path': '/secure', 'correlation_id': '${n.toString(16)}'}`;
}

export function logfmtLine(e: BenchEvent, n: number): string {
  const [level, event] = e.failure ? ['warning', 'auth_failure'] : ['info', 'auth_success'];
  return `time=${new Date(e.time).toISOString()} level=${level} event=${event} username=${e.user} client_ip=${e.ip} method=GET path=/secure correlation_id=${n.toString(16)} msg="${e.failure ? 'bad credentials' : 'ok'}"`;
}

/** uvicorn's access log as it writes it by default: no time, no user (so its successes are not logins). */
export function uvicornLine(e: BenchEvent, n: number): string {
  return `INFO:     ${e.ip}:${40000 + (n % 20000)} - "GET /secure HTTP/1.1" ${e.failure ? '401 Unauthorized' : '200 OK'}`;
}

const RENDER = { json: jsonLine, access: (e: BenchEvent) => accessLine(e), python: pythonLine, logfmt: logfmtLine, uvicorn: uvicornLine };
export type BenchFormat = keyof typeof RENDER;

/** Writes the events to a file per format asked for, in large batches; returns how many. */
export async function writeLogs(events: Iterable<BenchEvent>, files: Partial<Record<BenchFormat, string>>): Promise<number> {
  const outs = (Object.entries(files) as [BenchFormat, string][]).map(([format, file]) => ({ render: RENDER[format], stream: createWriteStream(file), lines: [] as string[] }));
  let n = 0;
  const flush = async () => {
    for (const out of outs) {
      if (!out.stream.write(`${out.lines.join('\n')}\n`)) await once(out.stream, 'drain');
      out.lines = [];
    }
  };
  for (const e of events) {
    for (const out of outs) out.lines.push(out.render(e, n));
    if (++n % 10_000 === 0) await flush();
  }
  if (n % 10_000 !== 0) await flush();
  await Promise.all(outs.map((out) => new Promise((resolve) => out.stream.end(resolve))));
  return n;
}
