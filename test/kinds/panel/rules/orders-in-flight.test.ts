import { describe, expect, it } from 'vitest';
import { MOST_ORDERS_DECIDED, settleOrdersInFlight } from '../../../../src/kinds/panel/rules/orders-in-flight.js';

const order = (orderId: string, effect: bigint) => ({ orderId, prepaidEffectMicros: effect });

describe('settleOrdersInFlight', () => {
  it('the worked example: a fall of 1.80 is explained by 90003 alone, so 90004 waits for the next close', () => {
    expect(settleOrdersInFlight([order('90003', -1_800_000n), order('90004', -450_000n)], -1_800_000n)).toEqual({
      inBalance: ['90003'],
      nextClose: ['90004'],
      explained: true,
    });
  });

  it('a balance that moved by none of their charges holds none of them: all wait', () => {
    expect(settleOrdersInFlight([order('90003', -1_800_000n), order('90004', -450_000n)], 0n)).toEqual({
      inBalance: [],
      nextClose: ['90003', '90004'],
      explained: true,
    });
  });

  it('a fall of both charges holds both', () => {
    expect(settleOrdersInFlight([order('90003', -1_800_000n), order('90004', -450_000n)], -2_250_000n)).toEqual({
      inBalance: ['90003', '90004'],
      nextClose: [],
      explained: true,
    });
  });

  it('two equal charges and a fall of one: the earlier asked is in the balance', () => {
    expect(settleOrdersInFlight([order('7', -900_000n), order('5', -900_000n)], -900_000n)).toEqual({
      inBalance: ['7'],
      nextClose: ['5'],
      explained: true,
    });
  });

  it('an order that moves nothing is booked tonight whatever the balance says', () => {
    expect(settleOrdersInFlight([order('1', 0n), order('2', -100_000n)], 0n)).toEqual({
      inBalance: ['1'],
      nextClose: ['2'],
      explained: true,
    });
  });

  it('when no choice explains the difference (a top-up at the same moment) every order is booked tonight', () => {
    expect(settleOrdersInFlight([order('1', -1_800_000n)], 48_200_000n)).toEqual({
      inBalance: ['1'],
      nextClose: [],
      explained: false,
    });
  });

  it('within the rounding bound counts as explained', () => {
    expect(settleOrdersInFlight([order('1', -1_800_002n)], -1_800_000n, 2n)).toEqual({
      inBalance: ['1'],
      nextClose: [],
      explained: true,
    });
    expect(settleOrdersInFlight([order('1', -1_800_002n)], -1_800_000n)).toEqual({
      inBalance: ['1'],
      nextClose: [],
      explained: false,
    });
    expect(settleOrdersInFlight([order('1', -1_800_002n), order('2', -2n)], -1_800_000n, 2n)).toEqual({
      inBalance: ['1'],
      nextClose: ['2'],
      explained: true,
    });
  });

  it(`only the first ${MOST_ORDERS_DECIDED} orders that move money are searched; the later ones wait`, () => {
    const many = Array.from({ length: MOST_ORDERS_DECIDED + 2 }, (_, index) => order(String(index + 1), -1_000_000n));
    const settled = settleOrdersInFlight(many, -2_000_000n);
    expect(settled.inBalance).toEqual(['1', '2']);
    expect(settled.nextClose).toHaveLength(MOST_ORDERS_DECIDED);
  });
});
