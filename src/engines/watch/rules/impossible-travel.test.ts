import { describe, expect, it } from 'vitest';
import { detect, keysOf, MIN, T0 } from '../../../../test/watch/harness.js';

const ID = 'watch.impossible-travel';
const paris = { lat: 48.8566, lon: 2.3522 };
const sydney = { lat: -33.8688, lon: 151.2093 };
const lyon = { lat: 45.764, lon: 4.8357 };

describe(ID, () => {
  it('positive: Paris then Sydney 20 minutes later', () => {
    const { alerts } = detect([
      { time: T0, failure: false, ip: '10.0.0.1', user: 'erin', ...paris },
      { time: T0 + 20 * MIN, failure: false, ip: '203.0.113.70', user: 'erin', ...sydney },
    ]);
    expect(keysOf(alerts, ID)).toEqual(['erin']);
    expect(Number(alerts[0]!.details['km'])).toBeGreaterThan(16_000);
  });

  it('positive: two countries within the hour when only countries are known', () => {
    const { alerts } = detect([
      { time: T0, failure: false, ip: '10.0.0.1', user: 'erin', country: 'FR' },
      { time: T0 + 10 * MIN, failure: false, ip: '203.0.113.70', user: 'erin', country: 'AU' },
    ]);
    expect(keysOf(alerts, ID)).toEqual(['erin']);
  });

  it('negative: Paris then Lyon two hours later, and Paris then Sydney two days later', () => {
    const { alerts } = detect([
      { time: T0, failure: false, ip: '10.0.0.1', user: 'erin', ...paris },
      { time: T0 + 120 * MIN, failure: false, ip: '10.0.0.2', user: 'erin', ...lyon },
      { time: T0 + 48 * 60 * MIN, failure: false, ip: '203.0.113.70', user: 'erin', ...sydney },
    ]);
    expect(keysOf(alerts, ID)).toEqual([]);
  });

  it('negative: failed logins from far away are not travel', () => {
    const { alerts } = detect([
      { time: T0, failure: false, ip: '10.0.0.1', user: 'erin', ...paris },
      { time: T0 + MIN, failure: true, ip: '203.0.113.70', user: 'erin', ...sydney },
    ]);
    expect(keysOf(alerts, ID)).toEqual([]);
  });
});
