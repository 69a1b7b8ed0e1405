import { describe, expect, it } from 'vitest';
import { orderCharge, STANDARD_SERVICES, PANEL_SERVICE_TYPES } from '../../sandbox/panel-service.js';

function service(id: string) {
  const found = STANDARD_SERVICES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no service ${id}`);
  return found;
}

describe('what add charges', () => {
  it('charges rate × quantity / 1000: 1000 followers at 0.90 cost 0.90000', () => {
    expect(orderCharge(service('1'), 1000)).toBe(900_000n);
  });

  it('rounds a tiny rate half-even to 5 decimals: 3700 views at 0.0123 cost 0.04551', () => {
    expect(orderCharge(service('9'), 3700)).toBe(45_510n);
    // 0.0123 × 150 / 1000 = 0.001845 → 0.00184 (half-even)
    expect(orderCharge(service('9'), 150)).toBe(1_840n);
  });

  it('charges a comments package at its upper bound: 3 posts × max 20 = 60 at 6.50 cost 0.39000', () => {
    expect(orderCharge(service('3'), 3 * 20)).toBe(390_000n);
  });

  it('charges a Package its flat rate whatever its fixed quantity', () => {
    expect(orderCharge(service('4'), 1000)).toBe(2_750_000n);
  });

  it('has one service of every type in the standard catalogue', () => {
    expect(new Set(STANDARD_SERVICES.map((candidate) => candidate.type))).toEqual(new Set(PANEL_SERVICE_TYPES));
  });
});
