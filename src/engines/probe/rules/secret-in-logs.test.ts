import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../core/redact.js';
import { attempt, context, line, observations } from '../../../../test/probe/observations.js';
import { secretInLogs } from './secret-in-logs.js';

const canary = attempt('canary-aa11', 401, 1000, 'Pc!0123456789abcdef#');

describe('probe.secret-in-logs', () => {
  it.each([
    ['plain', 'login user=canary-aa11 password=Pc!0123456789abcdef#', 'password'],
    ['URL-encoded', 'GET /login?pw=Pc%210123456789abcdef%23', 'password'],
    ['repr', "creds=('canary-aa11', 'Pc!0123456789abcdef#')", 'password'],
    ['base64 token', `token=${canary.token}`, 'base64 token'],
    ['raw header', `{'authorization': 'Basic ${canary.token}'}`, 'raw header'],
  ])('positive: %s', async (_name, text, form) => {
    const findings = await secretInLogs.check(context(observations({ failures: [canary], logs: [line(text)] })));
    expect(findings.map((f) => f.message.split(' sent')[0])).toEqual([`The ${form}`]);
  });

  it('positive: the user password is reported but masked', async () => {
    const mine = attempt('alice', 200, 1000, 'correct-horse-9');
    const findings = await secretInLogs.check(
      context(observations({ successes: [mine], logs: [line('password=correct-horse-9')] }), new Redactor().addBasic('alice', 'correct-horse-9')),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toContain(REDACTED);
    expect(findings[0]!.evidence).not.toContain('correct-horse-9');
  });

  it.each([
    ['URL-encoded', 'GET /cb?pw=it%27s%20%22my%22%20p%40ss'],
    ['form-encoded', 'body: user=alice&pw=it%27s+%22my%22+p%40ss'],
    ['repr', `creds=('alice', 'it\\'s "my" p@ss')`],
    ['JSON', '{"password":"it\'s \\"my\\" p@ss"}'],
  ])('positive: the user password %s, masked in that form too', async (_name, text) => {
    const mine = attempt('alice', 200, 1000, 'it\'s "my" p@ss');
    const findings = await secretInLogs.check(context(observations({ successes: [mine], logs: [line(text)] }), new Redactor().addBasic('alice', 'it\'s "my" p@ss')));
    expect(findings.map((f) => f.message.split(' sent')[0])).toEqual(['The password']);
    expect(findings[0]!.evidence).toContain(REDACTED);
    expect(findings[0]!.evidence).not.toMatch(/p(@|%40)ss/);
  });

  it('negative: user names, hashes and access lines are not secrets', async () => {
    const logs = [line('auth failure user=canary-aa11'), line('INFO:     127.0.0.1:1 - "GET /secure HTTP/1.1" 401 Unauthorized')];
    expect(await secretInLogs.check(context(observations({ failures: [canary], logs })))).toEqual([]);
  });
});
