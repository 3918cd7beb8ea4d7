import { describe, expect, it } from 'vitest';
import { compareText } from './order.js';

describe('compareText', () => {
  it('orders by code point, whatever the locale: capitals before small letters, accents after both', () => {
    expect(['b', 'é', 'B', 'a', '_', 'A1', 'a'].sort(compareText)).toEqual(['A1', 'B', '_', 'a', 'a', 'b', 'é']);
    expect(compareText('x', 'x')).toBe(0);
  });
});
