import { formatDuration } from '../time.js';
import { SlotTable } from '../keys.js';
import { DistinctWindow } from '../tracker.js';
import { defineWatchRule } from './context.js';

export const credentialStuffing = defineWatchRule({
  id: 'watch.credential-stuffing',
  title: 'Credential stuffing: many IPs x many usernames, almost none succeeding',
  category: 'threat-detection',
  severity: 'high',
  confidence: 'medium',
  cwe: [307, 1390],
  owasp: ['API2:2023', 'A09:2021'],
  summary:
    'Within the window, failed logins hit many distinct usernames (default: at least 30) from many client IPs (default: at least 10), and the accounts tried almost never succeeded (default: at most 10% of their attempts): leaked username/password pairs replayed from proxies.',
  remediation: [
    'Check passwords against known breach corpora at login and sign-up, add bot defences (proof of work, CAPTCHA after failures) and offer a second factor; force a reset for the accounts that did log in during the alert.',
    '',
    '```python',
    'if pwned_passwords.contains(sha1(password)):',
    '    require_password_reset(username)',
    '```',
  ].join('\n'),
  references: ['https://attack.mitre.org/techniques/T1110/004/', 'https://owasp.org/www-community/attacks/Credential_stuffing'],
  check(ctx) {
    const { minUsernames, minIps, maxSuccessRatio, window } = ctx.settings['credential-stuffing'];
    // Accounts that failed within the window, with running totals so each check is O(1). Expired accounts
    // are swept every tenth of a window (and before an alert is raised), not on every event.
    let failures = 0;
    let successes = 0;
    const drop = (slot: number) => {
      failures -= accounts.columns.failures[slot]!;
      successes -= accounts.columns.successes[slot]!;
    };
    const accounts = new SlotTable(ctx.keys.user, ['failures', 'successes', 'last'], drop);
    const ips = new DistinctWindow(window, minIps * 10, minIps * 10);
    let nextSweep = -Infinity;
    const alerts = ctx.alerts.forRule(credentialStuffing, (a) =>
      `Failed logins hit ${a.metric} distinct usernames from at least ${String(a.details['ips'])} client IPs between ${new Date(a.firstSeen).toISOString()} and ${new Date(a.lastSeen).toISOString()}, with a success ratio of ${String(a.details['successRatio'])} on those accounts (threshold: at least ${a.threshold} usernames and ${minIps} IPs in ${formatDuration(a.windowMs)}, at most ${maxSuccessRatio} success).`,
    );

    function sweep(now: number): void {
      accounts.forEach((slot) => {
        if (accounts.columns.last[slot]! >= now - window) return;
        drop(slot);
        accounts.delete(slot);
      });
      nextSweep = now + window / 10;
    }

    const ratio = () => successes / (failures + successes);
    // To 3 decimals, as reported; a ratio of 0 (no success at all: the attack) needs no formatting.
    const rounded = (r: number) => (r === 0 ? 0 : Number(r.toFixed(3)));
    const holds = (now: number) => accounts.size >= minUsernames && ratio() <= maxSuccessRatio && ips.count(now) >= minIps;

    return {
      onEvent(event) {
        const slot = event.userSlot;
        if (slot < 0) return;
        const account = accounts.columns;
        if (!event.failure) {
          // Only successes of accounts under attack count towards the ratio.
          if (accounts.has(slot)) {
            account.successes[slot]!++;
            successes++;
          }
          return;
        }
        if (event.time >= nextSweep) sweep(event.time);
        if (!accounts.has(slot)) {
          accounts.add(slot);
          account.last[slot] = event.time;
        }
        account.failures[slot]!++;
        failures++;
        if (event.time > account.last[slot]!) account.last[slot] = event.time;
        if (event.ip) ips.add(event.ip, event.time);
        if (!holds(event.time)) return;
        const open = alerts.active('all', event.time);
        const details = () => ({ ips: ips.size, successRatio: rounded(ratio()) });
        if (open) {
          alerts.absorb(open, event.time, () => ctx.sample(event), accounts.size, details());
          return;
        }
        // Exact counts before raising: drop what the last sweep left behind.
        sweep(event.time);
        if (!holds(event.time)) return;
        let first = event.time;
        accounts.forEach((held) => (first = Math.min(first, account.last[held]!)));
        alerts.raise({
          subject: 'all', key: 'all', count: failures, metric: accounts.size, threshold: minUsernames, windowMs: window,
          firstSeen: first, lastSeen: event.time, sample: ctx.sample(event), details: details(),
        });
      },
      tracked: () => ({ keys: accounts.size, evictions: accounts.evictions }),
    };
  },
});
