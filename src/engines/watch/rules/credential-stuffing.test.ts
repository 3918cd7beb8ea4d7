import { describe, expect, it } from 'vitest';
import { detect, keysOf, MIN, SEC, series, T0 } from '../../../../test/watch/harness.js';

const ID = 'watch.credential-stuffing';

describe(ID, () => {
  it('positive: 40 usernames from 20 IPs, one success', () => {
    const events = series(40, T0, 5 * SEC, (i) => ({ failure: i !== 7, ip: `192.0.2.${i % 20}`, user: `leaked${i}` }));
    events.push({ time: T0 + 40 * 5 * SEC, failure: false, ip: '192.0.2.3', user: 'leaked3' });
    const { alerts } = detect(events);
    expect(keysOf(alerts, ID)).toEqual(['all']);
    const alert = alerts.find((a) => a.ruleId === ID)!;
    expect(alert.metric).toBeGreaterThanOrEqual(30);
    expect(alert.details['ips']).toBe(20);
  });

  it('positive: an account that fails again after its earlier failures expired is counted once more', () => {
    // The second failure of each early account comes after the window, when a sweep drops the first one.
    const early = series(5, T0, SEC, (i) => ({ ip: `192.0.2.${i}`, user: `leaked${i}` }));
    const again = series(5, T0 + 11 * MIN, SEC, (i) => ({ ip: `192.0.2.${i}`, user: `leaked${i}` }));
    const rest = series(30, T0 + 12 * MIN, SEC, (i) => ({ ip: `192.0.2.${i % 20}`, user: `other${i}` }));
    const alert = detect([...early, ...again, ...rest]).alerts.find((a) => a.ruleId === ID)!;
    expect(alert.metric).toBe(35);
    expect(alert.count).toBe(35);
  });

  it('negative: many usernames and IPs whose accounts then log in (typos, not stuffing)', () => {
    const events = series(40, T0, 5 * SEC, (i) => ({ failure: true, ip: `10.0.0.${i % 20}`, user: `user${i}` }));
    events.push(...series(40, T0 + 2 * SEC, 5 * SEC, (i) => ({ failure: false, ip: `10.0.0.${i % 20}`, user: `user${i}` })));
    expect(keysOf(detect(events.sort((a, b) => a.time - b.time)).alerts, ID)).toEqual([]);
  });

  it('negative: many usernames from only a few IPs (that is spraying)', () => {
    expect(keysOf(detect(series(60, T0, 5 * SEC, (i) => ({ ip: `192.0.2.${i % 3}`, user: `leaked${i}` }))).alerts, ID)).toEqual([]);
  });
});
