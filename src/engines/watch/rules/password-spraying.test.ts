import { describe, expect, it } from 'vitest';
import { detect, keysOf, SEC, series, T0 } from '../../../../test/watch/harness.js';

const ID = 'watch.password-spraying';

describe(ID, () => {
  it('positive: one IP failing as 11 distinct usernames in 10 minutes', () => {
    const { alerts } = detect(series(11, T0, 50 * SEC, (i) => ({ ip: '203.0.113.20', user: `user${i}` })));
    expect(keysOf(alerts, ID)).toEqual(['203.0.113.20']);
    expect(alerts.find((a) => a.ruleId === ID)!.metric).toBe(11);
  });

  it('positive: escalates as more usernames are sprayed, still one alert', () => {
    const { alerts } = detect(series(40, T0, 10 * SEC, (i) => ({ ip: '203.0.113.20', user: `user${i}` })));
    const mine = alerts.filter((a) => a.ruleId === ID);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.level).toBe(2);
    expect(mine[0]!.severity).toBe('critical');
  });

  it('negative: one IP failing many times as the same few usernames', () => {
    expect(keysOf(detect(series(60, T0, 5 * SEC, (i) => ({ ip: '203.0.113.20', user: `user${i % 3}` }))).alerts, ID)).toEqual([]);
  });

  it('negative: 11 usernames from one IP spread over more than the window', () => {
    expect(keysOf(detect(series(11, T0, 61 * SEC, (i) => ({ ip: '203.0.113.20', user: `user${i}` }))).alerts, ID)).toEqual([]);
  });
});
