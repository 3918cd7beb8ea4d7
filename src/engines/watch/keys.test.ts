import { describe, expect, it } from 'vitest';
import { KeySpace, SlotMap, SlotTable } from './keys.js';

describe('KeySpace', () => {
  it('gives each key one slot, and none to an empty key or to a key it may not create', () => {
    const space = new KeySpace(10);
    const a = space.resolve('10.0.0.1', true);
    expect(space.resolve('10.0.0.1', false)).toBe(a);
    expect(space.find('10.0.0.1')).toBe(a);
    expect(space.key(a)).toBe('10.0.0.1');
    expect(space.resolve('10.0.0.2', false)).toBe(-1);
    expect(space.resolve('', true)).toBe(-1);
    expect(space.size).toBe(1);
  });

  it('evicts the keys of the old generation that were not touched since, and keeps those that were', () => {
    const space = new KeySpace(4);
    const state = new SlotMap<string>(space);
    const slotOf = (key: string) => {
      const slot = space.resolve(key, true);
      state.set(slot, key);
      return slot;
    };
    slotOf('a');
    slotOf('b'); // young is full (2): a and b become old
    slotOf('c');
    space.resolve('b', false); // a lookup that starts nothing does not keep b alive
    slotOf('a'); // a is young again; young is full: b, untouched, is evicted
    expect(space.find('b')).toBe(-1);
    expect(space.find('a')).toBeGreaterThanOrEqual(0);
    expect(space.find('c')).toBeGreaterThanOrEqual(0);
    expect(state.evictions).toBe(1);
    expect(state.size).toBe(2);
    expect(state.get(space.find('a'))).toBe('a');
    expect(state.get(space.find('c'))).toBe('c');
  });

  it('stays within its cap whatever the input, and reuses the slots it frees with their state dropped', () => {
    const space = new KeySpace(1000);
    const state = new SlotMap<number>(space);
    let highest = 0;
    let largest = 0;
    let stale = 0;
    for (let i = 0; i < 100_000; i++) {
      const slot = space.resolve(`k${i}`, true);
      if (state.get(slot) !== undefined) stale++;
      state.set(slot, i);
      highest = Math.max(highest, slot);
      largest = Math.max(largest, space.size);
    }
    expect(stale).toBe(0);
    expect(largest).toBeLessThanOrEqual(1000);
    expect(highest).toBeLessThan(1000);
    expect(state.size).toBe(space.size);
    expect(state.evictions).toBe(100_000 - state.size);
  });
});

describe('KeySpace.resolveNew', () => {
  it('gives a key known to be new a slot without a lookup, which a later lookup by text finds', () => {
    const space = new KeySpace(4);
    const state = new SlotMap<string>(space);
    const a = space.resolveNew('a', true);
    state.set(a, 'a');
    expect(space.resolveNew('b', false)).toBe(-1);
    expect(space.resolveNew('', true)).toBe(-1);
    space.resolveNew('b', true); // young is full (2): a and b become old
    space.resolveNew('c', true);
    expect(space.size).toBe(3);
    expect(space.find('a')).toBe(a); // the first lookup by text makes the Map, from the slots
    expect(space.resolve('c', true)).toBe(space.find('c'));
    space.resolveNew('d', true); // young is full again: a and b, untouched, are evicted
    expect(space.find('a')).toBe(-1);
    expect(space.find('b')).toBe(-1);
    expect(space.find('d')).toBeGreaterThanOrEqual(0);
    expect(space.size).toBe(2);
    expect(state.evictions).toBe(1);
  });
});

describe('SlotMap', () => {
  it('counts as evicted only the values it held, and takes slot -1 for none', () => {
    const space = new KeySpace(2);
    const held = new SlotMap<number>(space);
    const other = new SlotMap<number>(space);
    held.set(space.resolve('x', true), 7); // young full: x becomes old
    space.resolve('y', true); // young full again: x is evicted
    expect(held.evictions).toBe(1);
    expect(held.size).toBe(0);
    expect(other.evictions).toBe(0);
    expect(held.get(-1)).toBeUndefined();
    held.delete(-1);
    expect(held.size).toBe(0);
  });
});

describe('SlotTable', () => {
  it('holds numbers per slot, starting at 0, and drops them on eviction after telling', () => {
    const space = new KeySpace(2);
    const seen: number[] = [];
    const table: SlotTable<'n' | 'last'> = new SlotTable(space, ['n', 'last'], (slot) => seen.push(table.columns.n[slot]!));
    const x = space.resolve('x', true);
    table.add(x);
    table.columns.n[x] = 3;
    table.add(x); // already held: kept as it is
    expect(table.columns.n[x]).toBe(3);
    expect(table.has(x)).toBe(true);
    expect(table.has(-1)).toBe(false);
    const held: number[] = [];
    table.forEach((slot) => held.push(slot));
    expect(held).toEqual([x]);
    const y = space.resolve('y', true); // evicts x
    expect(seen).toEqual([3]);
    expect(table.evictions).toBe(1);
    expect(table.has(x)).toBe(false);
    table.add(y);
    expect(table.columns.n[y]).toBe(0);
    table.delete(y);
    expect(table.size).toBe(0);
  });
});
