import { describe, expect, it } from 'vitest';
import { detect, keysOf, MIN, SEC, series, T0 } from '../../../../test/watch/harness.js';

const ID = 'watch.success-after-failures';

describe(ID, () => {
  it('positive: a user succeeds after 5 failures', () => {
    const events = [...series(5, T0, 10 * SEC, () => ({ ip: '203.0.113.50', user: 'dave' })), { time: T0 + MIN, failure: false, ip: '203.0.113.50', user: 'dave' }];
    const { alerts } = detect(events);
    expect(keysOf(alerts, ID)).toEqual(['dave']);
    expect(alerts[0]!.subject).toBe('user');
  });

  it('positive: an IP succeeds (as another user) after failing as several', () => {
    const events = [...series(6, T0, 10 * SEC, (i) => ({ ip: '203.0.113.51', user: `u${i}` })), { time: T0 + MIN, failure: false, ip: '203.0.113.51', user: 'erin' }];
    const { alerts } = detect(events);
    expect(keysOf(alerts, ID)).toEqual(['203.0.113.51']);
    expect(alerts.find((a) => a.ruleId === ID)!.subject).toBe('ip');
  });

  it('negative: a typo or two, then success', () => {
    const events = [...series(2, T0, 5 * SEC, () => ({ ip: '10.0.0.1', user: 'dave' })), { time: T0 + 12 * SEC, failure: false, ip: '10.0.0.1', user: 'dave' }];
    expect(keysOf(detect(events).alerts, ID)).toEqual([]);
  });

  it('negative: the success comes long after the failures', () => {
    const events = [...series(6, T0, 10 * SEC, () => ({ ip: '10.0.0.1', user: 'dave' })), { time: T0 + 30 * MIN, failure: false, ip: '10.0.0.1', user: 'dave' }];
    expect(keysOf(detect(events).alerts, ID)).toEqual([]);
  });
});
