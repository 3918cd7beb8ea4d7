import { describe, expect, it } from 'vitest';
import { attempt, context, line, observations } from '../../../../test/probe/observations.js';
import { logMissingContext } from './log-missing-context.js';

const check = (logs: string[], user = 'canary-aa11') =>
  logMissingContext.check(context(observations({ failures: [attempt(user, 401)], logs: logs.map((l) => line(l)) })));

describe('probe.log-missing-context', () => {
  it.each([
    ['python default text', 'WARNING:app:auth failed for canary-aa11', ['client IP', 'path', 'method', 'correlation id']],
    ['python text with a dict of extras', "2026-01-01 10:00:00,123 WARNING auth_failure {'username': 'canary-aa11', 'client_ip': '127.0.0.1'}", ['path', 'method', 'correlation id']],
    ['logfmt without a request id', 'level=warn event=auth_failure user=canary-aa11 ip=127.0.0.1 method=GET path=/secure', ['correlation id']],
  ])('positive: %s', async (_name, text, missing) => {
    const findings = await check([text]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.details?.['missing']).toEqual(missing);
  });

  it('negative: a JSON line with every field, or one that echoes the request id', async () => {
    expect(
      await check(['{"event":"auth_failure","outcome":"failure","username":"canary-aa11","client_ip":"127.0.0.1","method":"GET","path":"/secure","request_id":"9f1c"}']),
    ).toEqual([]);
    expect(await check(['auth failed user=canary-aa11 from 127.0.0.1 GET /secure rid=rid-canary-aa11'])).toEqual([]);
  });

  it('negative: no line names the user (that is auth-failure-not-logged, not this rule)', async () => {
    expect(await check(['WARNING:app:Auth failed'])).toEqual([]);
  });
});
