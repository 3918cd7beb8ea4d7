import { formatDuration } from '../time.js';
import { DistinctWindows } from '../tracker.js';
import { defineWatchRule } from './context.js';

export const distributedBruteForce = defineWatchRule({
  id: 'watch.distributed-brute-force',
  title: 'Distributed brute force: one username failing from many client IPs',
  category: 'threat-detection',
  severity: 'high',
  confidence: 'medium',
  cwe: [307],
  owasp: ['API2:2023', 'A09:2021'],
  summary:
    'One username failed to log in from more distinct client IPs than the threshold within the window (default: more than 10 in 10 minutes): a botnet guessing one account while staying under per-IP limits.',
  remediation: [
    'Throttle per account, not only per IP: after a few failures require a second factor or a delay for that username whatever the source, and tell the account owner.',
    '',
    '```python',
    'if failures_for_user(username, window=600) > 10:',
    '    require_second_factor(username)',
    '```',
  ].join('\n'),
  references: ['https://attack.mitre.org/techniques/T1110/001/', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html'],
  check(ctx) {
    const { threshold, window } = ctx.settings['distributed-brute-force'];
    const ips = new DistinctWindows(ctx.keys.user, window, threshold * 10 + 1, threshold);
    const alerts = ctx.alerts.forRule(distributedBruteForce, (a) =>
      `The username ${a.key} failed to log in from ${a.metric} distinct client IPs (${a.count} failures) between ${new Date(a.firstSeen).toISOString()} and ${new Date(a.lastSeen).toISOString()} (threshold: more than ${a.threshold} in ${formatDuration(a.windowMs)}).`,
    );
    return {
      failuresOnly: true,
      onEvent(event) {
        if (!event.ip || event.userSlot < 0) return;
        const distinct = ips.add(event.userSlot, event.ip, event.time);
        const open = alerts.active(event.user, event.time);
        if (open) {
          alerts.absorb(open, event.time, () => ctx.sample(event), distinct, { ips: ips.recent(event.userSlot, 10) });
        } else if (distinct > threshold) {
          alerts.raise({
            subject: 'user', key: event.user, count: distinct, metric: distinct, threshold, windowMs: window,
            firstSeen: ips.oldest(event.userSlot), lastSeen: event.time, sample: ctx.sample(event), details: { ips: ips.recent(event.userSlot, 10) },
          });
        }
      },
      tracked: () => ({ keys: ips.size, evictions: ips.evictions }),
    };
  },
});
