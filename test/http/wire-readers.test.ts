import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { readWire } from '../../src/http/wire-readers.js';
import { describeValue, idReader, microsReader, optional, required, textReader } from '../../src/http/wire-readers.js';
import { wireAmount, wireFields, wireId, wireMicros, wireReads } from '../../src/http/wire-readers.js';
import { webhookCharge, webhookId } from '../../src/sources/webhooks/webhook-wire-values.js';

/** The reason a field reader gives for `value`, or the value it reads. */
function readField(reader: z.ZodType, value: unknown): unknown {
  const read = readWire(z.object({ field: reader }), value === undefined ? {} : { field: value });
  return read.ok ? (read.value as { field: unknown }).field : read.reason;
}

describe('the shared wire readers', () => {
  it('say "missing" for an absent required field and read an absent or null optional one as undefined', () => {
    const text = textReader();
    expect([
      readField(required(text), undefined),
      readField(optional(text), undefined),
      readField(optional(text), null),
    ]).toEqual(['field: missing', undefined, undefined]);
  });

  it('read text or a number as text, naming what the field holds and the longest text allowed', () => {
    const short = required(textReader({ expected: 'a name', maxLength: 5 }));
    expect([
      readField(short, 'Anna'),
      readField(short, 1487),
      readField(short, 'Annabel'),
      readField(short, [1]),
      readField(short, true),
    ]).toEqual([
      'Anna',
      '1487',
      'field: expected at most 5 characters, got 7',
      'field: expected a name, got a list',
      'field: expected a name, got boolean true',
    ]);
  });

  it('read ids that are not blank, trimmed or exactly as sent', () => {
    const text = textReader();
    expect([
      readField(required(idReader(text, 'trimmed')), ' 23501 '),
      readField(required(idReader(text, 'as sent')), ' 23501 '),
    ]).toEqual(['23501', ' 23501 ']);
    expect(readField(required(idReader(text, 'as sent')), '  ')).toBe('field: expected an id, got empty text');
  });

  it('refuse an id carrying a control character (ESC, NUL, DEL, C1), naming the character, so no export ever holds one', () => {
    expect(['O-\u001b[31m2', 'O-2\u0000', '12\u007f', '12\u0085'].map((id) => readField(wireId, id))).toEqual([
      'field: an id may not carry control characters, got U+001B at character 3',
      'field: an id may not carry control characters, got U+0000 at character 4',
      'field: an id may not carry control characters, got U+007F at character 3',
      'field: an id may not carry control characters, got U+0085 at character 3',
    ]);
    expect(readField(wireId, 'ord_01HG-é')).toBe('ord_01HG-é');
  });

  it('read amounts exactly in micro-units, telling a malformed one in either wording', () => {
    const quoted = required(microsReader({ expected: 'an amount', malformed: 'quoted' }));
    const asExpected = required(microsReader({ expected: 'a decimal amount', malformed: 'as expected' }));
    expect([readField(quoted, '0.27819'), readField(asExpected, '-4.5')]).toEqual([278_190n, -4_500_000n]);
    expect([readField(quoted, '4,15'), readField(asExpected, '4,15')]).toEqual([
      'field: not an amount: "4,15" (expected digits with an optional decimal point)',
      'field: expected a decimal amount, got text "4,15" (expected digits with an optional decimal point)',
    ]);
    expect([readField(quoted, {}), readField(asExpected, null)]).toEqual([
      'field: expected an amount, got an object',
      'field: expected a decimal amount, got null',
    ]);
  });

  it('refuse an amount a signed 64-bit column of micro-units cannot hold, in replies and webhooks alike', () => {
    const largest = '9223372036854.775807';
    const tooLarge = '9223372036854.775808';
    const beyond = 'field: the amount is beyond what the ledger can hold (±9223372036854.775807)';
    expect([readField(wireMicros, largest), readField(wireMicros, `-${largest}`)]).toEqual([
      2n ** 63n - 1n,
      -(2n ** 63n - 1n),
    ]);
    expect([
      readField(wireMicros, tooLarge),
      readField(wireAmount, tooLarge),
      readField(webhookCharge, `-${tooLarge}`),
    ]).toEqual([beyond, beyond, beyond]);
  });

  it("keep each caller's wording: a reply keeps ids as sent, a webhook trims them and names an id", () => {
    expect([readField(wireId, ' ord_7 '), readField(webhookId, ' ord_7 ')]).toEqual([' ord_7 ', 'ord_7']);
    expect([readField(wireId, {}), readField(webhookId, {})]).toEqual([
      'field: expected text or a number, got an object',
      'field: expected an id (text or a number), got an object',
    ]);
  });

  it('describe a value in a few words, cutting long text at 40 characters', () => {
    expect([
      describeValue(null),
      describeValue([]),
      describeValue({}),
      describeValue('abc'),
      describeValue(5),
      describeValue('x'.repeat(45)),
    ]).toEqual(['null', 'a list', 'an object', 'text "abc"', 'number 5', `text "${'x'.repeat(40)}…"`]);
  });
});

describe('wireFields', () => {
  const entry = wireFields(
    { required: { status: textReader({ blank: 'empty status' }) }, optional: { charge: wireReads.amount } },
    { orders: z.array(wireId).optional() },
  );

  it('reads each field present, leaves absent and null optional ones out and ignores other keys', () => {
    expect(readWire(entry, { status: 'Partial', charge: '0.27819', orders: [7], note: 'x' })).toEqual({
      ok: true,
      value: { status: 'Partial', charge: { micros: 278_190n, text: '0.27819', exact: true }, orders: ['7'] },
    });
    expect(readWire(entry, { status: 5, charge: null })).toEqual({ ok: true, value: { status: '5' } });
  });

  it('tells every problem at its key, as z.object does: a missing required field, a bad value, a list item', () => {
    expect(readWire(entry, { charge: '4,15' })).toEqual({
      ok: false,
      reason: 'status: missing; charge: not an amount: "4,15" (expected digits with an optional decimal point)',
    });
    expect(readWire(entry, { status: 'Active', orders: [{}] })).toEqual({
      ok: false,
      reason: 'orders.0: expected text or a number, got an object',
    });
    expect(readWire(entry, ' ')).toEqual({ ok: false, reason: 'the reply: expected object, got text " "' });
    expect(readWire(entry, { status: ' ' })).toEqual({ ok: false, reason: 'status: empty status' });
  });
});

describe('readWire', () => {
  const schema = z.object({ role: z.enum(['publisher', 'advertiser']), stats: z.object({ clicks: z.string() }) });

  it('names every field that is wrong and calls the whole value "the reply" unless told otherwise', () => {
    expect(readWire(schema, [1, 2])).toEqual({ ok: false, reason: 'the reply: expected object, got a list' });
    expect(readWire(schema, { role: 'reader', stats: 'none' })).toEqual({
      ok: false,
      reason: 'role: expected one of "publisher"|"advertiser"; stats: expected object, got text "none"',
    });
    expect(readWire(schema, { role: 'publisher' })).toEqual({ ok: false, reason: 'stats: missing' });
  });

  it('takes the words of its caller: a webhook body is "the body" and wants "a JSON object"', () => {
    const wording = { whole: 'the body', object: 'a JSON object' };
    expect(readWire(schema, 'x', wording)).toEqual({
      ok: false,
      reason: 'the body: expected a JSON object, got text "x"',
    });
    expect(readWire(schema, { role: 'publisher', stats: { clicks: 'many' } }, wording)).toEqual({
      ok: true,
      value: { role: 'publisher', stats: { clicks: 'many' } },
    });
  });
});
