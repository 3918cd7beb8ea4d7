import { describe, expect, it } from 'vitest';
import { detect, keysOf, MIN, SEC, series, T0 } from '../../../../test/watch/harness.js';

const ID = 'watch.brute-force';
const from = (ip: string) => () => ({ failure: true, ip, user: 'admin' });

describe(ID, () => {
  it('positive: 11 failures from one IP within 5 minutes', () => {
    const { alerts } = detect(series(11, T0, 25 * SEC, from('203.0.113.9')));
    expect(keysOf(alerts, ID)).toEqual(['203.0.113.9']);
    expect(alerts[0]!.count).toBe(11);
  });

  it('positive: one alert per key and window, escalating rather than repeating', () => {
    const { alerts, changes } = detect(series(120, T0, 2 * SEC, from('203.0.113.9')));
    const mine = alerts.filter((a) => a.ruleId === ID);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.count).toBe(120);
    expect(mine[0]!.level).toBe(3);
    expect(changes.filter((c) => c.id === mine[0]!.id).map((c) => `${c.change}:${c.severity}`)).toEqual(['new:medium', 'escalated:high', 'escalated:critical']);
    expect(mine[0]!.samples.length).toBeLessThanOrEqual(5);
  });

  it('positive: a second attack after the window has passed is a new alert', () => {
    const events = [...series(12, T0, SEC, from('203.0.113.9')), ...series(12, T0 + 60 * MIN, SEC, from('203.0.113.9'))];
    expect(keysOf(detect(events).alerts, ID)).toEqual(['203.0.113.9', '203.0.113.9']);
  });

  it('positive: tolerates modest out-of-order input', () => {
    const events = series(11, T0, 20 * SEC, from('203.0.113.9')).reverse();
    expect(keysOf(detect(events).alerts, ID)).toEqual(['203.0.113.9']);
  });

  it('negative: exactly 10 failures in 5 minutes, or 11 spread over more than 5', () => {
    expect(keysOf(detect(series(10, T0, 20 * SEC, from('203.0.113.9'))).alerts, ID)).toEqual([]);
    expect(keysOf(detect(series(11, T0, 31 * SEC, from('203.0.113.9'))).alerts, ID)).toEqual([]);
  });

  it('negative: successes and failures from different IPs do not add up', () => {
    const events = series(30, T0, SEC, (i) => ({ failure: i % 3 === 0, ip: `10.0.0.${i % 5}`, user: 'u' }));
    expect(keysOf(detect(events).alerts, ID)).toEqual([]);
  });

  it('positive: threshold and window come from the config', () => {
    const config = { rules: { 'brute-force': { threshold: 3, window: '1m' } } };
    expect(keysOf(detect(series(4, T0, 10 * SEC, from('203.0.113.9')), config).alerts, ID)).toEqual(['203.0.113.9']);
    expect(keysOf(detect(series(4, T0, 30 * SEC, from('203.0.113.9')), config).alerts, ID)).toEqual([]);
  });
});
