import { describe, expect, it } from 'vitest';
import { storedConversions } from '../../../src/kinds/payelancer/stored-conversions.js';
import { storedPanelUpdates } from '../../../src/kinds/panel/panel-close.js';
import { webhookInbox } from '../../../src/pipeline/landing/webhook-inbox.js';
import { conversionWebhookFormat } from '../../../src/kinds/payelancer/conversion-webhook.js';
import { panelOrderUpdateFormat } from '../../../src/kinds/panel/panel-order-update.js';
import { landingBooksInMemory, type LandingBooksDouble } from '../../support/landing-books-double.js';

/** The landing's port in memory (test/support/landing-books-double.ts): the kinds' reading of stored deliveries is the subject. */

const conversion = (campaign: string, payout: string, timestamp: string) =>
  `{"event": "conversion.tracked", "data": {"campaign_id": "${campaign}", "ad_id": "ad-1", "payout": ${payout}, "timestamp": "${timestamp}"}}`;

/** Each kind's webhook format, by the kind's name as the configuration writes it. */
const FORMATS = { payelancer: conversionWebhookFormat, panel: panelOrderUpdateFormat } as const;

async function ledgerWith(deliveries: [string, keyof typeof FORMATS, string, string][]): Promise<LandingBooksDouble> {
  const books = landingBooksInMemory();
  const inbox = webhookInbox(books);
  for (const [sourceId, kind, receivedAt, body] of deliveries) {
    await inbox.record({
      sourceId,
      kind,
      format: FORMATS[kind],
      receivedAt: new Date(receivedAt),
      body: Buffer.from(body),
    });
  }
  return books;
}

describe('stored webhooks, read back for the sync pipeline', () => {
  it('lists the readable conversions of one source with exact payouts, dated by their own timestamp', async () => {
    const books = await ledgerWith([
      ['ads-publisher', 'payelancer', '2026-03-13T21:00:00Z', conversion('c1', '1.25', '2026-03-13T20:55:00Z')],
      ['ads-publisher', 'payelancer', '2026-03-13T21:00:01Z', conversion('c1', '1.250', '2026-03-13T20:55:00Z')],
      ['ads-publisher', 'payelancer', '2026-03-14T00:10:00Z', conversion('c2', '0.27819', '2026-03-13T23:59:59+01:00')],
      ['ads-publisher', 'payelancer', '2026-03-14T09:00:00Z', '{"event": "conversion.tracked"}'],
      ['ads-other', 'payelancer', '2026-03-14T09:00:00Z', conversion('c3', '9', '2026-03-14T08:00:00Z')],
      ['ads-publisher', 'payelancer', '2026-03-16T09:00:00Z', conversion('c4', '2', '2026-03-15T23:30:00-02:00')],
    ]);
    expect(await storedConversions(books, { sourceId: 'ads-publisher' })).toEqual({
      conversions: [
        {
          webhookId: 1n,
          status: 'stored',
          receivedAt: '2026-03-13T21:00:00.000Z',
          campaignId: 'c1',
          adId: 'ad-1',
          payoutMicros: 1_250_000n,
          timestamp: '2026-03-13T20:55:00Z',
          date: '2026-03-13',
        },
        {
          webhookId: 3n,
          status: 'stored',
          receivedAt: '2026-03-14T00:10:00.000Z',
          campaignId: 'c2',
          adId: 'ad-1',
          payoutMicros: 278_190n,
          timestamp: '2026-03-13T22:59:59Z',
          date: '2026-03-13',
        },
        {
          webhookId: 6n,
          status: 'stored',
          receivedAt: '2026-03-16T09:00:00.000Z',
          campaignId: 'c4',
          adId: 'ad-1',
          payoutMicros: 2_000_000n,
          timestamp: '2026-03-16T01:30:00Z',
          date: '2026-03-16',
        },
      ],
      unreadable: [],
    });
  });

  it('filters conversions by their date, inclusive, in the requested time zone', async () => {
    const books = await ledgerWith([
      ['ads-publisher', 'payelancer', '2026-03-13T21:00:00Z', conversion('c1', '1', '2026-03-13T20:55:00Z')],
      ['ads-publisher', 'payelancer', '2026-03-15T21:00:00Z', conversion('c2', '2', '2026-03-15T20:55:00Z')],
    ]);
    const campaigns = async (query: Parameters<typeof storedConversions>[1]) =>
      (await storedConversions(books, query)).conversions.map((row) => [row.campaignId, row.date]);
    expect(await campaigns({ sourceId: 'ads-publisher', from: '2026-03-14' })).toEqual([['c2', '2026-03-15']]);
    expect(await campaigns({ sourceId: 'ads-publisher', to: '2026-03-13' })).toEqual([['c1', '2026-03-13']]);
    expect(
      await campaigns({ sourceId: 'ads-publisher', from: '2026-03-14', to: '2026-03-15', timeZone: 'Asia/Kolkata' }),
    ).toEqual([['c1', '2026-03-14']]);
  });

  it('lists panel order updates in order of receipt, dated by when they came, from a given time on', async () => {
    const books = await ledgerWith([
      [
        'smm-panel',
        'panel',
        '2026-03-12T10:00:00Z',
        '{"order_id": 1487, "status": "In progress", "remains": 300, "charge": 4.5}',
      ],
      [
        'smm-panel',
        'panel',
        '2026-03-13T10:00:00Z',
        '{"order_id": 1487, "status": "Partial", "remains": "+2", "start_count": 8421, "charge": "2.70"}',
      ],
      ['smm-panel', 'panel', '2026-03-13T11:00:00Z', '{"order_id": 1488, "status": "Cancelled"}'],
      [
        'smm-panel',
        'panel',
        '2026-03-13T23:30:00Z',
        '{"order_id": "ord_77", "status": "Completed", "charge": 1, "currency": "EUR"}',
      ],
    ]);
    expect(
      await storedPanelUpdates(books, {
        sourceId: 'smm-panel',
        since: '2026-03-13',
        timeZone: 'Asia/Kolkata',
      }),
    ).toEqual({
      updates: [
        {
          webhookId: 2n,
          status: 'stored',
          receivedAt: '2026-03-13T10:00:00.000Z',
          orderId: '1487',
          statusRaw: 'Partial',
          remains: '+2',
          startCount: '8421',
          chargeMicros: 2_700_000n,
          currency: undefined,
          date: '2026-03-13',
        },
        {
          webhookId: 4n,
          status: 'stored',
          receivedAt: '2026-03-13T23:30:00.000Z',
          orderId: 'ord_77',
          statusRaw: 'Completed',
          remains: undefined,
          startCount: undefined,
          chargeMicros: 1_000_000n,
          currency: 'EUR',
          date: '2026-03-14',
        },
      ],
      unreadable: [],
    });
  });

  it('reports a stored row that no longer reads instead of dropping it, and marks nothing', async () => {
    const books = await ledgerWith([
      ['smm-panel', 'panel', '2026-03-13T10:00:00Z', '{"order_id": 1, "status": "Completed", "charge": 1}'],
    ]);
    books.plantDelivery({
      sourceId: 'smm-panel',
      kind: 'panel',
      dedupeKey: 'legacy',
      receivedAt: '2026-03-13T11:00:00Z',
      body: '{"order_id": 2}',
      status: 'processed',
      note: null,
    });
    const statuses = () => books.deliveries.map(({ id, status }) => ({ id, status }));
    const before = statuses();
    const { updates, unreadable } = await storedPanelUpdates(books, { sourceId: 'smm-panel' });
    expect(updates.map((update) => update.orderId)).toEqual(['1']);
    expect(unreadable).toEqual([{ webhookId: 2n, reason: 'status: missing; charge: missing' }]);
    expect(statuses()).toEqual(before);
  });
});
