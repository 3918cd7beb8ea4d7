import type { Exchange, HttpResponse } from '../../../../http/client.js';
import { basicLoginTarget, isThrottled, locationOf, sendBasic } from '../../auth-surface.js';
import { defineScanRule, type OperationProbe, type ScanContext } from '../../context.js';
import { evidenceOf } from '../../evidence.js';
import { mannWhitney, median } from '../../statistics.js';

/** Username that should not exist; fixed so per-username throttling treats both groups alike. */
export const UNKNOWN_USER = 'portcullis-nobody-7f3a';
const PAIRS = 3;
/** Significance level of each timing test; a finding needs two independent significant batches. */
const ALPHA = 0.001;
/** Smallest timing gap worth reporting, in milliseconds and relative to the faster group. */
const MIN_GAP_MS = 3;
const MIN_GAP_RATIO = 0.2;

/** Headers whose value changes per request anyway. */
const VOLATILE = new Set(['date', 'content-length', 'x-request-id', 'x-correlation-id', 'request-id', 'x-response-time', 'server-timing', 'etag', 'set-cookie', 'age', 'expires', 'last-modified', 'keep-alive', 'connection', 'transfer-encoding']);

interface Shape {
  status: number;
  body: string;
  headers: string;
}

/** The text with the submitted values and per-request noise (ids, timestamps) taken out. */
function neutral(text: string, user: string, password: string): string {
  return text
    .split(password)
    .join('{password}')
    .split(user)
    .join('{user}')
    .replace(/[0-9a-f]{8,}(-[0-9a-f]{4,})*/gi, '{id}')
    .replace(/\d+/g, '0');
}

/** What an attacker can compare, with the submitted username and password taken out. */
function shapeOf(response: HttpResponse, user: string, password: string): Shape {
  const headers = Object.entries(response.headers)
    .filter(([name]) => !VOLATILE.has(name))
    .map(([name, value]) => `${name}: ${neutral(value, user, password)}`)
    .sort()
    .join('\n');
  return { status: response.status, body: neutral(response.body, user, password), headers };
}

function differences(a: Shape, b: Shape): string[] {
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status ${a.status} vs ${b.status}`);
  if (a.body !== b.body) out.push(a.body.length === b.body.length ? 'body content' : `body length ${a.body.length} vs ${b.body.length}`);
  if (a.headers !== b.headers) out.push('headers');
  return out;
}

const same = (shapes: Shape[]) => shapes.every((s) => s.status === shapes[0]!.status && s.body === shapes[0]!.body && s.headers === shapes[0]!.headers);

interface Attempt {
  exchange: Exchange;
  response: HttpResponse;
  password: string;
}

async function attempt(ctx: ScanContext, target: OperationProbe, user: string): Promise<Attempt | undefined> {
  const password = ctx.canaries.next();
  const exchange = await sendBasic(ctx, target, user, password, 'auth.user-enumeration');
  if (!exchange.response || isThrottled(exchange.response)) return undefined;
  return { exchange, response: exchange.response, password };
}

/** Interleaved A/B/B/A timing samples (time to response headers), sent one at a time. */
async function timingBatch(ctx: ScanContext, target: OperationProbe, known: string, samples: number): Promise<{ known: number[]; unknown: number[] } | undefined> {
  const times = { known: [] as number[], unknown: [] as number[] };
  for (let i = 0; i < samples; i++) {
    const order = i % 2 === 0 ? [known, UNKNOWN_USER] : [UNKNOWN_USER, known];
    for (const user of order) {
      const result = await attempt(ctx, target, user);
      if (!result) return undefined;
      (user === known ? times.known : times.unknown).push(result.response.elapsedMs);
    }
  }
  return times;
}

function timingVerdict(batch: { known: number[]; unknown: number[] }): { significant: boolean; slower: 'known' | 'unknown'; gap: number; p: number } {
  const test = mannWhitney(batch.known, batch.unknown);
  const mk = median(batch.known);
  const mu = median(batch.unknown);
  const gap = Math.abs(mk - mu);
  const significant = test.p < ALPHA && gap >= MIN_GAP_MS && gap >= MIN_GAP_RATIO * Math.min(mk, mu);
  return { significant, slower: mk > mu ? 'known' : 'unknown', gap, p: test.p };
}

export const userEnumeration = defineScanRule({
  id: 'auth.user-enumeration',
  title: 'Login answers reveal which usernames exist',
  category: 'authentication',
  severity: 'medium',
  confidence: 'high',
  cwe: [204, 203],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'A wrong password for an existing user and any password for an unknown user are answered differently (status, body, length, headers) or in measurably different time. Attackers then harvest valid usernames and focus guessing on them.',
  remediation: [
    'Answer every failed login identically and spend the same work whether or not the user exists:',
    '',
    '```python',
    'import secrets, hashlib',
    'DUMMY_HASH = hash_password(secrets.token_hex(16))  # computed once at start-up',
    '',
    'def verify(username: str, password: str) -> bool:',
    '    stored = USERS.get(username)',
    '    candidate = hash_password(password, salt_of(stored or DUMMY_HASH))  # same cost for unknown users',
    '    ok = secrets.compare_digest(candidate, stored or DUMMY_HASH)',
    '    return ok and stored is not None',
    '',
    'if not verify(credentials.username, credentials.password):',
    '    raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": \'Basic realm="api"\'})',
    '```',
    '',
    'Use one message ("Invalid credentials") and one status for both cases, and never echo the username.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/204.html', 'https://cwe.mitre.org/data/definitions/208.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#authentication-responses'],
  mode: 'active',
  budget: 2 * PAIRS + 4 * 40,
  async check(ctx) {
    const known = ctx.knownUser;
    if (!known) return;
    const target = basicLoginTarget(ctx);
    if (!target) {
      ctx.warn('auth.user-enumeration: --known-user given, but no operation refuses anonymous requests with Basic; nothing to compare');
      return;
    }
    const where = locationOf(target);

    // 1. Response comparison: a few interleaved pairs; a difference counts only if stable.
    const knownAttempts: Attempt[] = [];
    const unknownAttempts: Attempt[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const a = await attempt(ctx, target, known);
      const b = await attempt(ctx, target, UNKNOWN_USER);
      if (!a || !b) {
        ctx.warn(`auth.user-enumeration: ${where.path} throttled or stopped answering; enumeration not concluded`);
        return;
      }
      knownAttempts.push(a);
      unknownAttempts.push(b);
    }
    const knownShapes = knownAttempts.map((a) => shapeOf(a.response, known, a.password));
    const unknownShapes = unknownAttempts.map((a) => shapeOf(a.response, UNKNOWN_USER, a.password));
    if (same(knownShapes) && same(unknownShapes)) {
      const diff = differences(knownShapes[0]!, unknownShapes[0]!);
      if (diff.length > 0) {
        ctx.report({
          message: `${where.method} ${where.path}: a wrong password for "${known}" and an unknown user get different answers (${diff.join(', ')}).`,
          location: where,
          evidence: `known user, wrong password:\n${evidenceOf(knownAttempts[0]!.exchange)}\n\nunknown user:\n${evidenceOf(unknownAttempts[0]!.exchange)}`,
          key: 'response',
          details: { differences: diff },
        });
        return;
      }
    }

    // 2. Timing: two independent batches must both be significant in the same direction.
    const samples = ctx.limits.timingSamples;
    if (samples === 0) return;
    if (ctx.client.remaining < 4 * samples) {
      ctx.warn(`auth.user-enumeration: timing test skipped, it needs ${4 * samples} requests and the request budget has ${ctx.client.remaining} left`);
      return;
    }
    const first = await timingBatch(ctx, target, known, samples);
    if (!first) return ctx.warn(`auth.user-enumeration: ${where.path} throttled during the timing test; not concluded`);
    const verdict = timingVerdict(first);
    if (!verdict.significant) return;
    const second = await timingBatch(ctx, target, known, samples);
    if (!second) return ctx.warn(`auth.user-enumeration: ${where.path} throttled during the timing test; not concluded`);
    const confirm = timingVerdict(second);
    if (!confirm.significant || confirm.slower !== verdict.slower) return;
    const summary = (b: { known: number[]; unknown: number[] }) => `median ${median(b.known).toFixed(1)} ms for "${known}" vs ${median(b.unknown).toFixed(1)} ms for an unknown user`;
    ctx.report({
      message: `${where.method} ${where.path}: failed logins for "${known}" are ${verdict.slower === 'known' ? 'slower' : 'faster'} than for an unknown user (${summary(first)}; Mann-Whitney p=${verdict.p.toExponential(1)} and p=${confirm.p.toExponential(1)} in two batches of ${samples} interleaved pairs).`,
      location: where,
      evidence: `batch 1: ${summary(first)}\nbatch 2: ${summary(second)}`,
      key: 'timing',
      confidence: 'medium',
      details: { samples, p: [verdict.p, confirm.p], gapMs: [verdict.gap, confirm.gap] },
    });
  },
});
