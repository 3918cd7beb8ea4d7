import { formatDuration } from '../time.js';
import { DistinctWindows } from '../tracker.js';
import { defineWatchRule } from './context.js';

export const passwordSpraying = defineWatchRule({
  id: 'watch.password-spraying',
  title: 'Password spraying: one client IP failing against many usernames',
  category: 'threat-detection',
  severity: 'high',
  confidence: 'high',
  cwe: [307],
  owasp: ['API2:2023', 'A09:2021'],
  summary:
    'One client IP failed to log in as more distinct usernames than the threshold within the window (default: more than 10 in 10 minutes): a few common passwords tried across many accounts, below any per-account lockout.',
  remediation: [
    'Throttle by client IP as well as by account, since spraying stays under per-account lockouts; block the IP, and reject the most common passwords at sign-up and change so sprayed guesses fail.',
    '',
    '```python',
    'if distinct_usernames_failed(client_ip, window=600) > 10:',
    '    block(client_ip, seconds=3600)',
    '```',
  ].join('\n'),
  references: ['https://attack.mitre.org/techniques/T1110/003/', 'https://owasp.org/www-community/attacks/Password_Spraying_Attack'],
  check(ctx) {
    const { threshold, window } = ctx.settings['password-spraying'];
    const users = new DistinctWindows(ctx.keys.ip, window, threshold * 10 + 1, threshold);
    const alerts = ctx.alerts.forRule(passwordSpraying, (a) =>
      `${a.key} failed to log in as ${a.metric} distinct usernames (${a.count} failures) between ${new Date(a.firstSeen).toISOString()} and ${new Date(a.lastSeen).toISOString()} (threshold: more than ${a.threshold} in ${formatDuration(a.windowMs)}).`,
    );
    return {
      failuresOnly: true,
      onEvent(event) {
        if (event.ipSlot < 0 || !event.user) return;
        const distinct = users.add(event.ipSlot, event.user, event.time);
        const open = alerts.active(event.ip, event.time);
        if (open) {
          alerts.absorb(open, event.time, () => ctx.sample(event), distinct, { usernames: users.recent(event.ipSlot, 10) });
        } else if (distinct > threshold) {
          alerts.raise({
            subject: 'ip', key: event.ip, count: distinct, metric: distinct, threshold, windowMs: window,
            firstSeen: users.oldest(event.ipSlot), lastSeen: event.time, sample: ctx.sample(event), details: { usernames: users.recent(event.ipSlot, 10) },
          });
        }
      },
      tracked: () => ({ keys: users.size, evictions: users.evictions }),
    };
  },
});
