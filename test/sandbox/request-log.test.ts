import { describe, expect, it } from 'vitest';
import { createRequestLog, type RequestLogEntry } from '../../sandbox/request-log.js';

const entry = (index: number): RequestLogEntry => ({
  service: index % 3 === 0 ? 'payelancer' : 'panel',
  action: `a${index}`,
  method: 'POST',
  path: '/panel/api/v2',
  status: 200,
  time: '2026-03-01T00:00:00.000Z',
  day: '2026-03-01',
});

describe('the request log', () => {
  it('holds the last entries up to its capacity, in order, at every point of a long run', () => {
    const log = createRequestLog(10);
    for (let index = 1; index <= 47; index += 1) {
      log.record(entry(index));
      const expected = Array.from(
        { length: Math.min(index, 10) },
        (_, offset) => `a${index - Math.min(index, 10) + 1 + offset}`,
      );
      expect(log.entries().map((held) => held.action)).toEqual(expected);
    }
    expect(log.entries('payelancer').map((held) => held.action)).toEqual(['a39', 'a42', 'a45']);
    expect(log.total()).toBe(47);
    expect(log.clear()).toBe(10);
    expect([log.entries(), log.total()]).toEqual([[], 0]);
  });
});
