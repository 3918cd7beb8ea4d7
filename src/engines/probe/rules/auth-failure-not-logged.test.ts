import { describe, expect, it } from 'vitest';
import { attempt, context, line, observations } from '../../../../test/probe/observations.js';
import { authFailureNotLogged } from './auth-failure-not-logged.js';

const check = (obs: Parameters<typeof context>[0]) => authFailureNotLogged.check(context(obs));

describe('probe.auth-failure-not-logged', () => {
  it('positive: only a bare "Auth failed" line and an access line at the time', async () => {
    const findings = await check(
      observations({
        failures: [attempt('canary-aa11', 401)],
        logs: [line('WARNING:app:Auth failed'), line('INFO:     127.0.0.1:5000 - "GET /secure HTTP/1.1" 401 Unauthorized')],
      }),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['probe.auth-failure-not-logged']);
    expect(findings[0]!.message).toContain('none naming the user');
  });

  it('positive: the user shows up only long after the attempt (buffered output)', async () => {
    const findings = await check(observations({ failures: [attempt('canary-bb22', 401)], logs: [line('auth failure user=canary-bb22', 9000)] }));
    expect(findings[0]!.message).toMatch(/appeared only 8\.0s after/);
  });

  it('negative: a line names the user (or its sha256 prefix) at the time', async () => {
    expect(await check(observations({ failures: [attempt('canary-cc33', 401)], logs: [line('{"event":"auth_failure","username":"canary-cc33"}')] }))).toEqual([]);
    const hashed = 'user_hash=' + (await import('node:crypto')).createHash('sha256').update('canary-dd44').digest('hex');
    expect(await check(observations({ failures: [attempt('canary-dd44', 403)], logs: [line(hashed)] }))).toEqual([]);
  });

  it('negative: accepted or unanswered canaries are not failed logins', async () => {
    expect(await check(observations({ failures: [attempt('canary-ee55', 200), attempt('canary-ff66', undefined)] }))).toEqual([]);
  });
});
