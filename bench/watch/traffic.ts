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

/** Writes the events to one or two files in large batches. */
export async function writeLogs(events: Iterable<BenchEvent>, files: { json?: string; access?: string }): Promise<number> {
  const json = files.json ? createWriteStream(files.json) : undefined;
  const access = files.access ? createWriteStream(files.access) : undefined;
  let n = 0;
  let a: string[] = [];
  let b: string[] = [];
  const flush = async () => {
    if (json && !json.write(`${a.join('\n')}\n`)) await once(json, 'drain');
    if (access && !access.write(`${b.join('\n')}\n`)) await once(access, 'drain');
    a = [];
    b = [];
  };
  for (const e of events) {
    if (json) a.push(jsonLine(e, n));
    if (access) b.push(accessLine(e));
    if (++n % 10_000 === 0) await flush();
  }
  if (a.length + b.length > 0) await flush();
  await Promise.all([json, access].filter((s) => s !== undefined).map((s) => new Promise((resolve) => s.end(resolve))));
  return n;
}
