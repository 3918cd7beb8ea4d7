import type { HttpResponse } from '../../../../http/client.js';
import { basicLoginTarget, isThrottled, locationOf, sendBasic } from '../../auth-surface.js';
import { defineScanRule } from '../../context.js';
import { evidenceOf } from '../../evidence.js';
import { median } from '../../statistics.js';

/** Fewer failed logins than this prove nothing either way. */
const MIN_ATTEMPTS = 10;
/** Username of the probe when no --known-user is given: no real account gets locked out. */
export const PROBE_USER = 'portcullis-probe';

/** Throttling visible in the series: a 429/423/Retry-After, a lockout (401 turning into 403), or a growing delay. */
export function throttlingIn(responses: HttpResponse[]): string | undefined {
  const throttled = responses.find(isThrottled);
  if (throttled) return `answer ${throttled.status}${throttled.headers['retry-after'] ? ` with Retry-After ${throttled.headers['retry-after']}` : ''}`;
  const locked = responses.findIndex((r, i) => i > 0 && r.status !== responses[0]!.status);
  if (locked > 0) return `answers changed from ${responses[0]!.status} to ${responses[locked]!.status} after ${locked} attempts`;
  const times = responses.map((r) => r.elapsedMs);
  if (times.length >= 10) {
    const first = median(times.slice(0, 5));
    const last = median(times.slice(-5));
    if (last > first * 3 && last - first > 250) return `answers slowed from ${Math.round(first)} ms to ${Math.round(last)} ms`;
  }
  return undefined;
}

export const noBruteForceProtection = defineScanRule({
  id: 'auth.no-brute-force-protection',
  title: 'Failed logins are never throttled',
  category: 'authentication',
  severity: 'high',
  confidence: 'medium',
  cwe: [307],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'A series of failed Basic logins against one account is answered the same way every time: no 429 or 423, no Retry-After, no lockout and no growing delay. Password guessing and credential stuffing then run at full speed.',
  remediation: [
    'Count failures per username and per client, and answer 429 with Retry-After past a small limit:',
    '',
    '```python',
    'import time',
    'from collections import defaultdict, deque',
    'FAILS: dict[str, deque] = defaultdict(deque)  # bounded: prune keys in a periodic task or use Redis with TTLs',
    'LIMIT, WINDOW = 5, 300',
    '',
    'def check_throttle(key: str) -> None:',
    '    q = FAILS[key]',
    '    while q and time.monotonic() - q[0] > WINDOW:',
    '        q.popleft()',
    '    if len(q) >= LIMIT:',
    '        raise HTTPException(429, "Too many failed logins", headers={"Retry-After": str(WINDOW)})',
    '```',
    '',
    'Call it for `f"user:{username}"` and `f"ip:{client}"` before checking the password, append on failure.',
    'Off-the-shelf: `slowapi` for FastAPI, `Flask-Limiter` for Flask, or the rate limiting of your gateway.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/307.html', 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks'],
  mode: 'active',
  budget: 30,
  async check(ctx) {
    const attempts = Math.min(ctx.limits.bruteForceAttempts, ctx.client.remaining);
    if (ctx.limits.bruteForceAttempts === 0) return;
    const target = basicLoginTarget(ctx);
    if (!target) return;
    if (attempts < MIN_ATTEMPTS) {
      ctx.warn(`auth.no-brute-force-protection skipped: ${ctx.client.remaining} requests left in the budget, ${MIN_ATTEMPTS} needed`);
      return;
    }
    const user = ctx.knownUser ?? PROBE_USER;
    const responses: HttpResponse[] = [];
    let last;
    for (let i = 0; i < attempts; i++) {
      last = await sendBasic(ctx, target, user, ctx.canaries.next(), 'auth.no-brute-force-protection');
      if (!last.response) return;
      responses.push(last.response);
      if (throttlingIn(responses)) return;
    }
    // Only a steady stream of refusals shows the absence of throttling; anything else is inconclusive.
    if (!responses.every((r) => r.status === 401 || r.status === 403) || !last) return;
    const where = locationOf(target);
    ctx.report({
      message: `${where.method} ${where.path}: ${responses.length} failed Basic logins for one user in a row, none throttled (no 429/423, no Retry-After, no lockout, no growing delay).`,
      location: where,
      evidence: evidenceOf(last),
      details: { attempts: responses.length, statuses: [...new Set(responses.map((r) => r.status))] },
    });
  },
});
