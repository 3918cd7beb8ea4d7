import { describe, expect, it } from 'vitest';
import { attempt, context, observations } from '../../../../test/probe/observations.js';
import { anyCredentialsAccepted } from './any-credentials-accepted.js';

describe('probe.any-credentials-accepted', () => {
  it('positive: every random canary got 200', async () => {
    const findings = await anyCredentialsAccepted.check(context(observations({ failures: [attempt('canary-a', 200), attempt('canary-b', 200)] })));
    expect(findings.map((f) => f.ruleId)).toEqual(['probe.any-credentials-accepted']);
  });

  it('negative: canaries rejected, or only some accepted (flaky endpoint, not proof)', async () => {
    expect(await anyCredentialsAccepted.check(context(observations({ failures: [attempt('canary-a', 401)] })))).toEqual([]);
    expect(await anyCredentialsAccepted.check(context(observations({ failures: [attempt('canary-a', 200), attempt('canary-b', 401)] })))).toEqual([]);
  });
});
