import { describe, expect, it } from 'vitest';
import { prettyJsonChunks } from '../../src/cli/pretty-json-chunks.js';

/** A transit report's item, its reference holding what JSON escapes (a line break, a quote, a backslash). */
const item = (n: number) => ({
  id: `payelancer:pub:payout:${n}`,
  amount: `${100 + n}.00`,
  state: n % 3 === 0 ? 'late' : 'matched',
  ageDays: n,
  match: n % 3 === 0 ? null : { amount: `${100 + n}.00`, reference: `payout\n"${n}" \\ x`, bankLine: `main:L${n}` },
  ...(n % 7 === 0 ? { candidates: [{ bankLine: 'main:A' }, { bankLine: 'main:B' }] } : {}),
});

describe('a report written as JSON a few items at a time', () => {
  it.for([0, 1, 499, 500, 501, 1_234])(
    'joins to what JSON.stringify with an indent of 2 writes, byte for byte (%i items)',
    (count) => {
      const report = {
        asOf: '2026-12-31',
        items: Array.from({ length: count }, (_, n) => item(n)),
        clearingResidues: count > 0 ? [{ id: 'x', message: 'stays\nin clearing' }] : undefined,
        lateDifferences: ['booked je:transit-difference:x'],
      };
      const chunks = [...prettyJsonChunks(report, 'items')];
      expect(chunks.join('')).toBe(JSON.stringify(report, null, 2));
      // Not one string: a list of 1,234 items comes in chunks of at most 500.
      expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(count / 500));
    },
  );

  it('writes an object without keys, and one whose list is last, as JSON.stringify does', () => {
    expect([...prettyJsonChunks({}, 'items')].join('')).toBe(JSON.stringify({}, null, 2));
    const last = { asOf: '2026-12-31', items: [item(1), item(2)] };
    expect([...prettyJsonChunks(last, 'items')].join('')).toBe(JSON.stringify(last, null, 2));
  });

  it('writes each item of the list as itemOf makes it, a chunk at a time, as JSON.stringify writes the made list', () => {
    const report = { asOf: '2026-12-31', items: Array.from({ length: 1_234 }, (_, n) => n), lateDifferences: ['x'] };
    const made: number[] = [];
    const chunks = prettyJsonChunks(report, 'items', (n: number) => {
      made.push(n);
      return item(n);
    });
    // Made as its chunk is written: once the first item's text is out, only its chunk's items are made (at most 500).
    const first: string[] = [];
    while (!first.some((text) => text.includes('"payelancer:pub:payout:0"'))) first.push(chunks.next().value as string);
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThanOrEqual(500);
    const written = [...first, ...chunks].join('');
    expect(written).toBe(JSON.stringify({ ...report, items: report.items.map(item) }, null, 2));
  });
});

describe('a report whose list is read once, as it is judged', () => {
  it.for([0, 1, 500, 1_234])(
    'reads an iterable list once and an entry after it only then, as JSON.stringify writes them (%i items)',
    (count) => {
      const seen: number[] = [];
      function* judged() {
        for (let n = 0; n < count; n += 1) {
          seen.push(n);
          yield n;
        }
      }
      const report = {
        asOf: '2026-12-31',
        items: judged(),
        // What reading the list found: present only when it found some (JSON.stringify leaves undefined out).
        get clearingResidues() {
          return seen.length === 0 ? undefined : [{ id: 'x', seen: seen.length }];
        },
        lateDifferences: ['booked je:transit-difference:x'],
      };
      const written = [...prettyJsonChunks(report, 'items', item)].join('');
      const whole = {
        asOf: '2026-12-31',
        items: Array.from({ length: count }, (_, n) => item(n)),
        clearingResidues: count === 0 ? undefined : [{ id: 'x', seen: count }],
        lateDifferences: ['booked je:transit-difference:x'],
      };
      expect(written).toBe(JSON.stringify(whole, null, 2));
    },
  );
});
