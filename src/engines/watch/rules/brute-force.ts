import { formatDuration } from '../time.js';
import { TimeRings } from '../tracker.js';
import { defineWatchRule } from './context.js';

export const bruteForce = defineWatchRule({
  id: 'watch.brute-force',
  title: 'Brute force: many failed logins from one client IP',
  category: 'threat-detection',
  severity: 'medium',
  confidence: 'high',
  cwe: [307],
  owasp: ['API2:2023', 'A09:2021'],
  summary:
    'One client IP failed authentication more often than the threshold within the window (default: more than 10 failures in 5 minutes), the pattern of password guessing against an account.',
  remediation: [
    'Throttle failed logins per client IP and per account (exponential delay or a temporary lockout), answer `429` with `Retry-After`, and block the IP at the edge while the alert lasts.',
    '',
    '```python',
    'if failures.count(client_ip, window=300) > 10:',
    '    raise HTTPException(status_code=429, headers={"Retry-After": "300"})',
    '```',
  ].join('\n'),
  references: ['https://attack.mitre.org/techniques/T1110/001/', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html'],
  check(ctx) {
    const { threshold, window } = ctx.settings['brute-force'];
    const rings = new TimeRings(ctx.keys.ip, threshold + 1);
    const alerts = ctx.alerts.forRule(bruteForce, (a) =>
      `${a.count} failed logins from ${a.key} between ${new Date(a.firstSeen).toISOString()} and ${new Date(a.lastSeen).toISOString()} (threshold: more than ${a.threshold} in ${formatDuration(a.windowMs)}).`,
    );
    return {
      failuresOnly: true,
      onEvent(event) {
        if (event.ipSlot < 0) return;
        const open = alerts.active(event.ip, event.time);
        if (open) {
          alerts.absorb(open, event.time, () => ctx.sample(event), open.count + 1);
          return;
        }
        const ring = rings.add(event.ipSlot, event.time);
        if (!ring?.full()) return;
        const [first, last] = ring.span();
        if (last - first > window) return;
        rings.delete(event.ipSlot);
        alerts.raise({
          subject: 'ip', key: event.ip, count: threshold + 1, metric: threshold + 1, threshold, windowMs: window,
          firstSeen: first, lastSeen: last, sample: ctx.sample(event),
        });
      },
      tracked: () => ({ keys: rings.size, evictions: rings.evictions }),
    };
  },
});
