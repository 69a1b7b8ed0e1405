import { describe, expect, it } from 'vitest';
import { panelOrderUpdateFormat } from '../../../src/kinds/panel/panel-order-update.js';
import { conversionWebhookFormat } from '../../../src/kinds/payelancer/conversion-webhook.js';

/** Each kind's format, by the kind's name as the configuration writes it. */
const FORMATS = { payelancer: conversionWebhookFormat, panel: panelOrderUpdateFormat } as const;
const interpretWebhook = (kind: keyof typeof FORMATS, body: string) => FORMATS[kind].read(body);
import { calendarDateIn } from '../../../src/calendar/index.js';
import { readIsoTimestamp } from '../../../src/sources/webhooks/webhook-timestamp.js';

const conversion = (data: string, event = '"conversion.tracked"') => `{"event": ${event}, "data": {${data}}}`;

function keyOf(kind: 'payelancer' | 'panel', body: string): string {
  const reading = interpretWebhook(kind, body);
  if (!reading.ok) throw new Error(reading.reason);
  return reading.dedupeKey;
}

describe('interpretWebhook: the ad network conversion', () => {
  it('reads the seed example with the payout exact in micro-units and ids as text', () => {
    const reading = interpretWebhook(
      'payelancer',
      conversion('"campaign_id": "982734A", "ad_id": 459021, "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"'),
    );
    expect(reading).toEqual({
      ok: true,
      event: {
        kind: 'conversion.tracked',
        campaignId: '982734A',
        adId: '459021',
        payoutMicros: 1_250_000n,
        timestamp: '2026-03-13T20:55:00Z',
      },
      dedupeKey: expect.stringMatching(/^conversion\.tracked:[0-9a-f]{64}$/),
    });
  });

  it('gives a conversion one key however its amount, ids or timestamp are spelled, and a new key when any of them changes', () => {
    const base = keyOf(
      'payelancer',
      conversion('"campaign_id": "982734A", "ad_id": "7", "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"'),
    );
    const respelled = [
      conversion(
        '"campaign_id": " 982734A ", "ad_id": 7, "payout": "1.250000", "timestamp": "2026-03-13T21:55:00.000+01:00"',
      ),
      conversion(
        '"ad_id": "7", "timestamp": "2026-03-13T20:55:00", "payout": 1.25, "campaign_id": "982734A", "extra": [1, 2]',
      ),
      `\uFEFF${conversion('"campaign_id": "982734A", "ad_id": "7", "payout": 1.25, "timestamp": "2026-03-13T20:55Z"')}`,
      // A resend written by a PHP script that stores the payout as a DOUBLE: the same conversion, not a refusal.
      conversion('"campaign_id": "982734A", "ad_id": "7", "payout": "1.2500000", "timestamp": "2026-03-13T20:55:00Z"'),
      conversion('"campaign_id": "982734A", "ad_id": "7", "payout": 1.25e0, "timestamp": "2026-03-13T20:55:00Z"'),
    ];
    const changed = [
      conversion('"campaign_id": "982734B", "ad_id": "7", "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"'),
      conversion('"campaign_id": "982734A", "ad_id": "8", "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"'),
      conversion('"campaign_id": "982734A", "ad_id": "7", "payout": 1.26, "timestamp": "2026-03-13T20:55:00Z"'),
      conversion('"campaign_id": "982734A", "ad_id": "7", "payout": 1.25, "timestamp": "2026-03-13T20:55:01Z"'),
    ];
    expect(respelled.map((body) => keyOf('payelancer', body))).toEqual([base, base, base, base, base]);
    expect(new Set([base, ...changed.map((body) => keyOf('payelancer', body))]).size).toBe(5);
  });

  it('names each wrong field, with what it got', () => {
    const cases: [string, string][] = [
      ['[]', 'the body: expected a JSON object, got a list'],
      ['"conversion"', 'the body: expected a JSON object, got text "conversion"'],
      ['{"event": "conversion.tracked"}', 'data: missing'],
      ['{"event": "conversion.tracked", "data": 5}', 'data: expected a JSON object, got text "5"'],
      [
        conversion('"campaign_id": "", "ad_id": {}, "payout": 1, "timestamp": "2026-03-13T20:55:00Z"'),
        'data.campaign_id: expected an id, got empty text; data.ad_id: expected an id (text or a number), got an object',
      ],
      [
        conversion('"campaign_id": 1, "ad_id": 2, "payout": -0.5, "timestamp": "2026-03-13T20:55:00Z"'),
        'data.payout: expected an amount of zero or more, got text "-0.5"',
      ],
      [
        conversion('"campaign_id": 1, "ad_id": 2, "payout": 1e-7, "timestamp": "2026-03-13T20:55:00Z"'),
        'data.payout: expected a decimal amount, got text "1e-7" (more than 6 decimal places)',
      ],
      [
        conversion(`"campaign_id": 1, "ad_id": 2, "payout": ${'9'.repeat(14)}, "timestamp": "2026-03-13T20:55:00Z"`),
        'data.payout: the amount is beyond what the ledger can hold (±9223372036854.775807)',
      ],
      [
        conversion('"campaign_id": 1, "ad_id": 2, "payout": null, "timestamp": 1710363300'),
        'data.payout: expected a decimal amount, got null; data.timestamp: expected an ISO 8601 date-time such as "2026-03-13T20:55:00Z", got text "1710363300"',
      ],
      [
        conversion('"campaign_id": 1, "ad_id": 2, "payout": 1, "timestamp": "2026-02-29T10:00:00Z"'),
        'data.timestamp: not a real date and time, got text "2026-02-29T10:00:00Z"',
      ],
      [
        conversion(
          '"campaign_id": 1, "ad_id": 2, "payout": 1, "timestamp": "2026-03-13T20:55:00Z"',
          '"conversion.reversed"',
        ),
        'event: expected "conversion.tracked" (the only event accepted), got text "conversion.reversed"',
      ],
      [
        '{"event": "conversion.tracked", "data": {"campaign_id": 1',
        'the body is not JSON (it starts "{\\"event\\": \\"conversion.tracked\\", \\"data\\": ")',
      ],
      [' \n ', 'the body is empty'],
    ];
    expect(cases.map(([body]) => interpretWebhook('payelancer', body))).toEqual(
      cases.map(([, reason]) => ({ ok: false, reason })),
    );
  });
});

describe('interpretWebhook: the panel order update', () => {
  it('reads the seed example with the order id as text and status and remains as sent', () => {
    const reading = interpretWebhook(
      'panel',
      '{"order_id": 1487, "status": "Completed", "remains": 0, "start_count": 8421, "charge": 4.5}',
    );
    expect(reading).toEqual({
      ok: true,
      event: {
        kind: 'order-update',
        orderId: '1487',
        statusRaw: 'Completed',
        remains: '0',
        startCount: '8421',
        chargeMicros: 4_500_000n,
        currency: undefined,
      },
      dedupeKey: expect.stringMatching(/^order-update:[0-9a-f]{64}$/),
    });
  });

  it('accepts remains written as over-delivery, negative, empty or missing, and a currency', () => {
    const remainsOf = (remains: string) => {
      const reading = interpretWebhook(
        'panel',
        `{"order_id": "ord_01HG", "status": "Partial", ${remains} "charge": "0.27819", "currency": "usd"}`,
      );
      return reading.ok && reading.event.kind === 'order-update'
        ? [reading.event.remains, reading.event.currency]
        : reading;
    };
    expect(['"remains": "+12",', '"remains": -3,', '"remains": "",', '"remains": null,', ''].map(remainsOf)).toEqual([
      ['+12', 'USD'],
      ['-3', 'USD'],
      [undefined, 'USD'],
      [undefined, 'USD'],
      [undefined, 'USD'],
    ]);
  });

  it('keys a panel update by order, status, remains and charge: the same state is the same event', () => {
    const key = (body: string) => keyOf('panel', body);
    const base = key('{"order_id": 1487, "status": "In progress", "remains": 300, "start_count": 10, "charge": 4.5}');
    expect(
      key('{"order_id": "1487", "status": " In progress ", "remains": "300", "start_count": 99, "charge": "4.50000"}'),
    ).toBe(base);
    const changes = [
      '{"order_id": 1488, "status": "In progress", "remains": 300, "charge": 4.5}',
      '{"order_id": 1487, "status": "Partial", "remains": 300, "charge": 4.5}',
      '{"order_id": 1487, "status": "In progress", "remains": 299, "charge": 4.5}',
      '{"order_id": 1487, "status": "In progress", "charge": 4.5}',
      '{"order_id": 1487, "status": "In progress", "remains": 300, "charge": 4.49}',
    ].map(key);
    expect(new Set([base, ...changes]).size).toBe(6);
  });

  it('names each wrong field', () => {
    expect(
      interpretWebhook(
        'panel',
        '{"order_id": [1], "status": "", "remains": "many", "charge": "4,50", "currency": "dollars"}',
      ),
    ).toEqual({
      ok: false,
      reason:
        'order_id: expected an id (text or a number), got a list; status: expected a status name, got empty text; ' +
        'remains: expected a whole number such as "157", "+12" or "-3", got text "many"; ' +
        'charge: expected a decimal amount, got text "4,50" (expected digits with an optional decimal point); ' +
        'currency: expected a three-letter currency code, got text "dollars"',
    });
    expect(interpretWebhook('panel', '{"status": "Completed"}')).toEqual({
      ok: false,
      reason: 'order_id: missing; charge: missing',
    });
  });

  it('reads a panel body as the panel schema and a conversion body as the ad network one, never the other', () => {
    expect(
      interpretWebhook(
        'panel',
        conversion('"campaign_id": 1, "ad_id": 2, "payout": 1, "timestamp": "2026-03-13T20:55:00Z"'),
      ),
    ).toEqual({
      ok: false,
      reason: 'order_id: missing; status: missing; charge: missing',
    });
  });
});

describe('webhook timestamps', () => {
  it('normalizes every spelling of an instant to UTC text, fraction kept', () => {
    expect(
      [
        '2026-03-13T20:55:00Z',
        '2026-03-13T22:55:00+02:00',
        '2026-03-13T15:25:00-0530',
        '2026-03-13T20:55',
        '2026-03-14T01:55:00.500+05',
        '2026-03-13T20:55:00.123456789Z',
      ].map(readIsoTimestamp),
    ).toEqual([
      { instant: '2026-03-13T20:55:00Z' },
      { instant: '2026-03-13T20:55:00Z' },
      { instant: '2026-03-13T20:55:00Z' },
      { instant: '2026-03-13T20:55:00Z' },
      { instant: '2026-03-13T20:55:00.5Z' },
      { instant: '2026-03-13T20:55:00.123456789Z' },
    ]);
  });

  it('refuses dates that do not exist and text that is not ISO 8601', () => {
    const problems = [
      '2026-13-01T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-03-13T24:00:00Z',
      '2026-03-13T20:55:60Z',
      '1969-12-31T23:59:59Z',
      'March 13, 2026',
      '2026-03-13 20:55:00',
    ].map((text) => 'problem' in readIsoTimestamp(text));
    expect(problems).toEqual(Array(7).fill(true));
  });

  it('dates an instant in a time zone', () => {
    expect(
      ['UTC', 'Asia/Kolkata', 'America/Los_Angeles'].map((zone) => calendarDateIn(zone)('2026-03-13T20:55:00Z')),
    ).toEqual(['2026-03-13', '2026-03-14', '2026-03-13']);
  });
});
