import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../core/redact.js';
import { attempt, context, line, observations } from '../../../../test/probe/observations.js';
import { authSuccessNotLogged } from './auth-success-not-logged.js';

describe('probe.auth-success-not-logged', () => {
  it('positive: only access lines when the user logs in', async () => {
    const findings = await authSuccessNotLogged.check(
      context(observations({ successes: [attempt('alice', 200)], logs: [line('INFO:     127.0.0.1:5000 - "GET /secure HTTP/1.1" 200 OK')] })),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['probe.auth-success-not-logged']);
  });

  it('negative: a success event names the user; rejected credentials are not checked', async () => {
    const logged = observations({ successes: [attempt('alice', 200)], logs: [line('level=info event=auth_success user=alice')] });
    expect(await authSuccessNotLogged.check(context(logged))).toEqual([]);
    expect(await authSuccessNotLogged.check(context(observations({ successes: [attempt('alice', 401)] })))).toEqual([]);
  });

  it('never prints the user password in evidence', async () => {
    const a = attempt('alice', 200, 1000, 'hunter2-Secret');
    const findings = await authSuccessNotLogged.check(
      context(observations({ successes: [a], logs: [line('debug password=hunter2-Secret')] }), new Redactor().addBasic('alice', 'hunter2-Secret')),
    );
    expect(findings[0]!.evidence).not.toContain('hunter2');
  });
});
