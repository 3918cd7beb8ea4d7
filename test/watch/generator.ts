/**
 * Deterministic auth-log generator: benign logins (with the odd typo) and injected attacks, rendered in
 * every format the watch engine reads. The same seed always gives the same lines.
 */

export type LogFormat = 'json' | 'logfmt' | 'python' | 'combined' | 'uvicorn';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'logfmt', 'python', 'combined', 'uvicorn'];

export interface GenEvent {
  time: number;
  failure: boolean;
  ip: string;
  user: string;
  path: string;
  lat?: number;
  lon?: number;
  country?: string;
}

export interface Expected {
  ruleId: string;
  key: string;
}

export interface GeneratedLog {
  events: GenEvent[];
  /** Attacks injected, each with the rule and key that must find it. */
  attacks: (Expected & { needs: 'ip' | 'user' | 'success' | 'geo' })[];
}

export const START = Date.UTC(2024, 4, 1, 12, 0, 0);
const MINUTE = 60_000;
export const PARIS = { lat: 48.8566, lon: 2.3522, country: 'FR' };
export const SYDNEY = { lat: -33.8688, lon: 151.2093, country: 'AU' };

/** mulberry32: small, fast, and the same everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` lines made from `base` by one to three random insertions, deletions or replacements of `pieces`. */
export function* mutations(base: string, pieces: readonly string[], count: number, seed: number): Generator<string> {
  const random = rng(seed);
  const piece = () => pieces[Math.floor(random() * pieces.length)]!;
  for (let n = 0; n < count; n++) {
    let line = base;
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const at = Math.floor(random() * line.length);
      const op = random();
      if (op < 0.4) line = line.slice(0, at) + piece() + line.slice(at);
      else if (op < 0.7) line = line.slice(0, at) + line.slice(at + 1 + Math.floor(random() * 4));
      else line = line.slice(0, at) + piece() + line.slice(at + 1);
    }
    yield line;
  }
}

/**
 * A fast path against its reference on mutations of `base` (see `mutations`): the lines where their readings
 * differ, and how many lines the fast path read itself (it answers undefined for those it leaves alone).
 */
export function disagreements(base: string, pieces: readonly string[], seed: number, mine: (line: string) => unknown, reference: (line: string) => unknown): { wrong: string[]; read: number } {
  const wrong: string[] = [];
  let read = 0;
  for (const line of mutations(base, pieces, 20_000, seed)) {
    const result = mine(line);
    if (result === undefined) continue;
    read++;
    if (JSON.stringify(result) !== JSON.stringify(reference(line))) wrong.push(line);
  }
  return { wrong, read };
}

export interface GenOptions {
  seed?: number;
  users?: number;
  /** Hours of traffic. */
  hours?: number;
  attacks?: boolean;
  /** Swap some neighbouring events (by a few seconds at most) to exercise out-of-order input. */
  shuffle?: boolean;
}

export function generate(options: GenOptions = {}): GeneratedLog {
  const random = rng(options.seed ?? 42);
  const users = options.users ?? 200;
  const hours = options.hours ?? 2;
  const events: GenEvent[] = [];
  const home = (i: number) => (i % 50 === 0 ? '10.1.0.1' /* an office NAT */ : `10.1.${(i >> 8) & 255}.${i & 255}`);
  const benign = (time: number, failure: boolean, i: number) =>
    events.push({ time, failure, ip: home(i), user: `user${i}`, path: '/secure', ...PARIS });

  // Benign: each user logs in about every 30 minutes; 3% of logins start with one or two typos.
  for (let i = 1; i <= users; i++) {
    for (let t = START + random() * 30 * MINUTE; t < START + hours * 60 * MINUTE; t += (10 + random() * 40) * MINUTE) {
      if (random() < 0.03) {
        const typos = 1 + Math.floor(random() * 2);
        for (let k = 0; k < typos; k++) benign(t + k * 5000, true, i);
        benign(t + typos * 5000 + 2000, false, i);
      } else benign(t, false, i);
    }
  }

  const attacks: GeneratedLog['attacks'] = [];
  if (options.attacks ?? true) {
    const at = (minute: number, offsetMs: number) => START + minute * MINUTE + offsetMs;
    // Brute force: 40 failures against admin from one IP in 3 minutes.
    for (let k = 0; k < 40; k++) events.push({ time: at(20, k * 4500), failure: true, ip: '203.0.113.10', user: 'admin', path: '/secure' });
    attacks.push({ ruleId: 'watch.brute-force', key: '203.0.113.10', needs: 'ip' });
    // Spraying: 14 usernames from one IP over 9 minutes, slow enough to stay under the brute-force rate.
    for (let k = 0; k < 14; k++) events.push({ time: at(35, k * 40_000), failure: true, ip: '203.0.113.20', user: `user${k * 7 + 3}`, path: '/secure' });
    attacks.push({ ruleId: 'watch.password-spraying', key: '203.0.113.20', needs: 'user' });
    // Distributed brute force: one account from 15 IPs, one try each.
    for (let k = 0; k < 15; k++) events.push({ time: at(50, k * 30_000), failure: true, ip: `198.18.0.${k + 1}`, user: 'administrator', path: '/secure' });
    attacks.push({ ruleId: 'watch.distributed-brute-force', key: 'administrator', needs: 'user' });
    // Credential stuffing: 60 leaked usernames from 20 proxies, 3 tries per proxy; 2 work.
    for (let k = 0; k < 60; k++) {
      events.push({ time: at(65, k * 8000), failure: k !== 17 && k !== 41, ip: `192.0.2.${(k % 20) + 1}`, user: `leaked${k}`, path: '/secure' });
    }
    attacks.push({ ruleId: 'watch.credential-stuffing', key: 'all', needs: 'user' });
    // Success after failures: 7 guesses for user5 from one IP, then the right password.
    for (let k = 0; k < 7; k++) events.push({ time: at(80, k * 20_000), failure: true, ip: '203.0.113.50', user: 'user5', path: '/secure' });
    events.push({ time: at(80, 7 * 20_000), failure: false, ip: '203.0.113.50', user: 'user5', path: '/secure' });
    attacks.push({ ruleId: 'watch.success-after-failures', key: 'user5', needs: 'success' });
    // Impossible travel: user9 logs in from Paris, then from Sydney 20 minutes later.
    events.push({ time: at(95, 0), failure: false, ip: home(9), user: 'user9', path: '/secure', ...PARIS });
    events.push({ time: at(115, 0), failure: false, ip: '203.0.113.70', user: 'user9', path: '/secure', ...SYDNEY });
    attacks.push({ ruleId: 'watch.impossible-travel', key: 'user9', needs: 'geo' });
  }

  events.sort((a, b) => a.time - b.time);
  if (options.shuffle ?? true) {
    for (let i = 1; i < events.length; i++) {
      if (random() < 0.05 && events[i]!.time - events[i - 1]!.time < 5000) [events[i - 1], events[i]] = [events[i]!, events[i - 1]!];
    }
  }
  return { events, attacks };
}

/** What each format can carry: access logs have no geo, uvicorn's no user (so no success either). */
export const CAPABILITIES: Record<LogFormat, { user: boolean; geo: boolean }> = {
  json: { user: true, geo: true },
  logfmt: { user: true, geo: true },
  python: { user: true, geo: true },
  combined: { user: true, geo: false },
  uvicorn: { user: false, geo: false },
};

/** The attacks a format can reveal (with `geoip`, access logs get geo from the database). */
export function expectedFor(log: GeneratedLog, format: LogFormat, geoip = false): Expected[] {
  const can = CAPABILITIES[format];
  return log.attacks
    .filter((a) => a.needs === 'ip' || (can.user && (a.needs !== 'geo' || can.geo || geoip)))
    .map(({ ruleId, key }) => ({ ruleId, key }));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pythonTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** One event as a line of the given format; `n` varies the shape (extras style, correlation ids). */
export function render(e: GenEvent, format: LogFormat, n: number): string {
  const event = e.failure ? 'auth_failure' : 'auth_success';
  const id = `req-${n.toString(16).padStart(8, '0')}`;
  switch (format) {
    case 'json':
      return JSON.stringify({
        timestamp: new Date(e.time).toISOString(), level: e.failure ? 'WARNING' : 'INFO', event, username: e.user,
        client_ip: e.ip, method: 'GET', path: e.path, correlation_id: id,
        ...(e.lat === undefined ? {} : { lat: e.lat, lon: e.lon, country: e.country }),
      });
    case 'logfmt':
      return `time=${new Date(e.time).toISOString()} level=${e.failure ? 'warning' : 'info'} event=${event} username=${e.user} client_ip=${e.ip} method=GET path=${e.path} correlation_id=${id}${e.lat === undefined ? '' : ` lat=${e.lat} lon=${e.lon}`} msg="${e.failure ? 'bad credentials' : 'ok'}"`;
    case 'python': {
      const level = e.failure ? 'WARNING' : 'INFO';
      const geo = e.country === undefined ? '' : e.country;
      if (n % 2 === 0) return `${pythonTime(e.time)} ${level} [app.auth] ${event} username=${e.user} client_ip=${e.ip} method=GET path=${e.path} correlation_id=${id}${geo ? ` country=${geo}` : ''}`;
      const dict = `{'event': '${event}', 'username': '${e.user}', 'client_ip': '${e.ip}', 'method': 'GET', 'path': '${e.path}', 'correlation_id': '${id}'${geo ? `, 'country': '${geo}'` : ''}}`;
      return `${pythonTime(e.time)} ${level} app.auth: ${event} ${dict}`;
    }
    case 'combined':
      return `${e.ip} - ${e.user} [${clfTime(e.time)}] "GET ${e.path} HTTP/1.1" ${e.failure ? 401 : 200} ${e.failure ? 23 : 512} "-" "python-requests/2.31.0"`;
    case 'uvicorn':
      return `${pythonTime(e.time)} INFO:     ${e.ip}:${40000 + (n % 20000)} - "GET ${e.path} HTTP/1.1" ${e.failure ? '401 Unauthorized' : '200 OK'}`;
  }
}

/** The log as text, with a few non-auth lines mixed in as real logs have. */
export function renderLog(log: GeneratedLog, format: LogFormat): string {
  const lines: string[] = [];
  log.events.forEach((e, n) => {
    lines.push(render(e, format, n));
    if (n % 97 === 0) lines.push(noise(e.time, format, n));
  });
  return `${lines.join('\n')}\n`;
}

/** A line of the same format that is not an auth event (a health check, a startup message). */
function noise(time: number, format: LogFormat, n: number): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ timestamp: new Date(time).toISOString(), level: 'INFO', event: 'request', path: '/health', status: 200 });
    case 'logfmt':
      return `time=${new Date(time).toISOString()} level=info event=request path=/health status=200`;
    case 'python':
      return `${pythonTime(time)} INFO [app.db] pool size=10 in_use=${n % 10}`;
    case 'combined':
      return `10.9.9.9 - - [${clfTime(time)}] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"`;
    case 'uvicorn':
      return `${pythonTime(time)} INFO:     10.9.9.9:5000 - "GET /health HTTP/1.1" 200 OK`;
  }
}
