import { describe, expect, it } from 'vitest';
import { detect, keysOf, SEC, series, T0 } from '../../../../test/watch/harness.js';

const ID = 'watch.distributed-brute-force';

describe(ID, () => {
  it('positive: one username failing from 11 IPs in 10 minutes', () => {
    const { alerts } = detect(series(11, T0, 30 * SEC, (i) => ({ ip: `198.18.0.${i}`, user: 'administrator' })));
    expect(keysOf(alerts, ID)).toEqual(['administrator']);
  });

  it('negative: one username failing often from the same two IPs', () => {
    expect(keysOf(detect(series(50, T0, 5 * SEC, (i) => ({ ip: `198.18.0.${i % 2}`, user: 'administrator' }))).alerts, ID)).toEqual([]);
  });

  it('negative: many IPs that succeed do not count', () => {
    expect(keysOf(detect(series(30, T0, 5 * SEC, (i) => ({ failure: false, ip: `198.18.0.${i}`, user: 'alice' }))).alerts, ID)).toEqual([]);
  });
});
