import { createFinding } from '../../../core/finding.js';
import { defineProbeRule, type ProbeContext } from '../context.js';

const THROTTLED = ['429', '423'];
const REJECTED = /^40[13]$/;

export const noRateLimit = defineProbeRule({
  id: 'probe.no-rate-limit',
  title: 'Failed logins are never throttled',
  category: 'authentication',
  severity: 'medium',
  confidence: 'medium',
  cwe: [307, 799],
  owasp: ['API2:2023', 'API4:2023'],
  summary:
    'A bounded burst of failed logins from one client, for one user, was answered with 401/403 every time and never with 429 Too Many Requests or 423 Locked: password guessing runs at whatever speed the attacker can send.',
  remediation: [
    'Throttle failed logins per client and per account, answer 429 with Retry-After, and lock out (423 or a delay) after repeated failures:',
    '',
    '```python',
    'if limiter.hit(("ip", client_ip)) > 10 or limiter.hit(("user", username)) > 5:  # per 60 s window',
    '    raise HTTPException(429, "Too many attempts", headers={"Retry-After": "60"})',
    '```',
    '',
    'Keep the limiter state bounded (expire keys, or use Redis with TTLs) so the limiter is not itself a memory leak, and count failures before the password check so it cannot be skipped.',
  ].join('\n'),
  references: [
    'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks',
    'https://cwe.mitre.org/data/definitions/307.html',
    'https://datatracker.ietf.org/doc/html/rfc6585#section-4',
  ],
  mode: 'active',
  budget: 30,
  check: ({ obs }: ProbeContext) => {
    const burst = obs.burst;
    if (!burst) return [];
    const statuses = Object.entries(burst.statuses);
    const throttled = statuses.some(([s]) => THROTTLED.includes(s));
    const rejected = statuses.filter(([s]) => REJECTED.test(s)).reduce((n, [, c]) => n + c, 0);
    // Only meaningful when the endpoint really rejected the logins.
    if (throttled || rejected < burst.sent / 2) return [];
    const summary = statuses.map(([s, c]) => `${c}x ${s}`).join(', ');
    return [
      createFinding(noRateLimit, {
        message: `${burst.sent} failed logins for one user from one client in a burst were all answered (${summary}), none with 429 or 423.`,
        location: { method: obs.method, path: obs.path },
        evidence: `burst user: ${burst.user}\nstatuses: ${summary}`,
        details: { statuses: burst.statuses },
      }),
    ];
  },
});
