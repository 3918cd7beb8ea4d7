import { formatDuration } from '../time.js';
import { SlotTable, type KeySpace } from '../keys.js';
import { defineWatchRule } from './context.js';

/** A run of failures that a success ended. */
interface Run {
  failures: number;
  first: number;
}

type Runs = SlotTable<'failures' | 'first' | 'last'>;

export const successAfterFailures = defineWatchRule({
  id: 'watch.success-after-failures',
  title: 'Login succeeded right after a run of failures',
  category: 'threat-detection',
  severity: 'high',
  confidence: 'medium',
  cwe: [307, 287],
  owasp: ['API2:2023', 'A09:2021'],
  summary:
    'A login succeeded for a username, or from a client IP, right after a run of failures within the window (default: at least 5 failures in 10 minutes): a guessing attack that may have found the password.',
  remediation: [
    'Treat the session as suspect: confirm with the account owner or a second factor, rotate the password, and review what the session did. Throttling failures per IP and per account keeps such runs short.',
    '',
    '```python',
    'if recent_failures(username) >= 5:',
    '    require_second_factor(username)',
    '```',
  ].join('\n'),
  references: ['https://attack.mitre.org/techniques/T1110/', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html'],
  check(ctx) {
    const { failures: minFailures, window } = ctx.settings['success-after-failures'];
    const runs = (space: KeySpace) => new SlotTable(space, ['failures', 'first', 'last'] as const);
    const byUser = runs(ctx.keys.user);
    const byIp = runs(ctx.keys.ip);
    const alerts = ctx.alerts.forRule(successAfterFailures, (a) =>
      `A login succeeded ${a.subject === 'user' ? 'for the username' : 'from'} ${a.key} after ${a.metric} failures between ${new Date(a.firstSeen).toISOString()} and ${new Date(a.lastSeen).toISOString()} (threshold: at least ${a.threshold} failures within ${formatDuration(a.windowMs)}).`,
    );

    function fail(table: Runs, slot: number, time: number): void {
      const { failures, first, last } = table.columns;
      if (!table.has(slot)) {
        table.add(slot);
        first[slot] = last[slot] = time;
      } else if (time - last[slot]! > window) {
        failures[slot] = 0;
        first[slot] = time;
      }
      failures[slot]!++;
      last[slot] = Math.max(last[slot]!, time);
    }

    /** The run that ends in this success, if long and recent enough; the run is consumed either way. */
    function ended(table: Runs, slot: number, time: number): Run | undefined {
      if (!table.has(slot)) return undefined;
      table.delete(slot);
      const { failures, first, last } = table.columns;
      return failures[slot]! >= minFailures && time - last[slot]! <= window ? { failures: failures[slot]!, first: first[slot]! } : undefined;
    }

    return {
      onEvent(event) {
        if (event.failure) {
          if (event.userSlot >= 0) fail(byUser, event.userSlot, event.time);
          if (event.ipSlot >= 0) fail(byIp, event.ipSlot, event.time);
          return;
        }
        const userRun = ended(byUser, event.userSlot, event.time);
        const ipRun = ended(byIp, event.ipSlot, event.time);
        const [subject, key, run] = userRun ? (['user', event.user, userRun] as const) : ipRun ? (['ip', event.ip, ipRun] as const) : [];
        if (!subject || !run) return;
        const details = { username: event.user, ip: event.ip };
        const open = alerts.active(key, event.time);
        if (open) alerts.absorb(open, event.time, () => ctx.sample(event), Math.max(open.metric, run.failures), details);
        else {
          alerts.raise({
            subject, key, count: run.failures + 1, metric: run.failures, threshold: minFailures, windowMs: window,
            firstSeen: run.first, lastSeen: event.time, sample: ctx.sample(event), details,
          });
        }
      },
      tracked: () => ({ keys: byUser.size + byIp.size, evictions: byUser.evictions + byIp.evictions }),
    };
  },
});
