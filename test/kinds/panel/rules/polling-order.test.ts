import { describe, expect, it } from 'vitest';
import { compareOrderIds, sortedByOrderId } from '../../../../src/kinds/panel/rules/order-events.js';

describe('the order a panel close polls and journalizes its orders in', () => {
  it('puts numeric ids in numeric order and the others after them as text: 9, 23502, 23510, abc', () => {
    expect(sortedByOrderId(['23510', 'abc', '9', '23502'])).toEqual(['9', '23502', '23510', 'abc']);
  });

  it('compares two ids the way it sorts them (9 before 10, though "10" < "9" as text)', () => {
    expect(compareOrderIds('9', '10')).toBeLessThan(0);
    expect(compareOrderIds('10', '9')).toBeGreaterThan(0);
    expect(compareOrderIds('A-2', 'A-10')).toBeGreaterThan(0);
    expect(compareOrderIds('23502', '23502')).toBe(0);
  });
});
