import { describe, expect, it } from 'vitest';
import { context, observations } from '../../../../test/probe/observations.js';
import { noRateLimit } from './no-rate-limit.js';

const burst = (statuses: Record<string, number>) => ({ user: 'canary-x', sent: Object.values(statuses).reduce((a, b) => a + b, 0), statuses, errors: 0 });

describe('probe.no-rate-limit', () => {
  it('positive: 30 failed logins, 30 answers of 401', async () => {
    const findings = await noRateLimit.check(context(observations({ burst: burst({ '401': 30 }) })));
    expect(findings.map((f) => f.ruleId)).toEqual(['probe.no-rate-limit']);
  });

  it.each([
    ['throttled with 429', { '401': 10, '429': 20 }],
    ['locked with 423', { '401': 5, '423': 25 }],
    ['not an auth endpoint (404)', { '404': 30 }],
    ['crashing endpoint (500)', { '500': 30 }],
  ])('negative: %s', async (_name, statuses) => {
    expect(await noRateLimit.check(context(observations({ burst: burst(statuses) })))).toEqual([]);
  });
});
