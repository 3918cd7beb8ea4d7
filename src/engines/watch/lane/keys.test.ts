import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../event.js';
import { KeySpace } from '../keys.js';
import { LaneKeys } from './keys.js';

/** Deterministic pseudo-random integers below `n`. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

describe('LaneKeys', () => {
  it('gives the slots that looking the keys up by text gives, through evictions, resets and values that are both IP and username', () => {
    const byId = { ip: new KeySpace(8), user: new KeySpace(8) };
    const byText = { ip: new KeySpace(8), user: new KeySpace(8) };
    const event = { ipId: 0, userId: 0, ip: '', user: '', ipSlot: -1, userSlot: -1 };
    const lane = new LaneKeys(byId, event);
    // The parsing thread's ids: one per distinct string, whichever role it plays, until the table starts over.
    let ids = new Map<string, number>();
    const idOf = (text: string) => ids.get(text) ?? ids.set(text, ids.size).get(text)!;
    const next = random(3);
    for (let i = 0; i < 20_000; i++) {
      if (next(3000) === 0) {
        ids = new Map();
        lane.reset();
      }
      // IPs and usernames from one pool of 24 values, so some are both.
      event.ip = next(20) === 0 ? '' : `k${next(24)}`;
      event.user = `k${next(24)}`;
      event.ipId = idOf(event.ip);
      event.userId = idOf(event.user);
      const failure = next(3) === 0;
      const placed = next(10) === 0;
      lane.resolve(event as unknown as AuthEvent, failure, failure || placed);
      expect([event.ipSlot, event.userSlot]).toEqual([byText.ip.resolve(event.ip, failure), byText.user.resolve(event.user, failure || placed)]);
    }
  });
});
