import { describe, expect, it } from 'vitest';
import { fecFile } from '../../../src/destinations/fec/fec-file.js';
import { fecMapping } from '../../../src/destinations/fec/fec-settings.js';
import type { LedgerReads } from '../../../src/reads/index.js';

/** Just the reads a FEC makes: the window's rendered entries, their bookings, and the balances before it. */
function readsOf(
  entries: { id: string; date: string; lines: { account: string; currency: string; cents: bigint }[] }[],
) {
  return {
    journal: {
      async *renderedEntries() {
        for (const entry of entries)
          yield { ...entry, sourceId: 'smm-panel', description: `${entry.id} words`, eventIds: [] };
      },
    },
    entryBookings: async () =>
      new Map(entries.map((entry) => [entry.id, { bookedAt: `${entry.date}T23:30:00.000Z`, events: [] }])),
    movementsBefore: async () => [],
  } as unknown as LedgerReads;
}

function request(rates?: Record<string, string>) {
  return {
    from: undefined,
    to: undefined,
    madeAt: '2026-04-03T00:00:00.000',
    fiscalYear: { start: '2026-01-01', end: '2026-12-31' },
    config: { currency: 'EUR', timezone: 'Europe/Paris', destinations: { rates: rates && { fixed: rates } } },
    mappings: {
      chart: {
        accounts: { bank: { type: 'asset', name: 'Bank' }, smm_services_expense: { type: 'expense', name: 'SMM' } },
      },
      destinations: new Map([
        [
          'fec',
          {
            file: '/books/mappings/fec.yaml',
            settings: fecMapping.fileSchema.parse({ accounts: {} }),
            accounts: { bank: { account: '512000' }, smm_services_expense: { account: '623100', label: 'Publicité' } },
          },
        ],
      ]),
    },
  } as unknown as Parameters<typeof fecFile>[1];
}

const IN_USD = [
  {
    id: 'je:smm-panel:2026-03-02',
    date: '2026-03-02',
    lines: [
      { account: 'smm_services_expense', currency: 'USD', cents: 1001n },
      { account: 'bank', currency: 'USD', cents: -1001n },
    ],
  },
];

describe('the FEC of entries in another currency than the books', () => {
  it("writes Debit and Credit in the books' currency at the fixed rate, the amount and currency in Montantdevise and Idevise", async () => {
    const file = await fecFile(readsOf(IN_USD), request({ USD: '0.9' }));
    const rows = file.bytes
      .toString('latin1')
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.split('\t'));
    // 10.01 USD at 0.9 is 9.009 EUR: 9.01 both sides, the écriture balanced; ValidDate the day booked in Paris.
    expect(rows.map((row) => [row[2], row[4], row[5], row[11], row[12], row[15], row[16], row[17]])).toEqual([
      ['1', '623100', 'Publicité', '9,01', '0,00', '20260303', '10,01', 'USD'],
      ['1', '512000', 'Bank', '0,00', '9,01', '20260303', '10,01', 'USD'],
    ]);
  });

  it('refuses a currency without a rate, naming it and where to set one', async () => {
    await expect(fecFile(readsOf(IN_USD), request())).rejects.toThrow('set destinations.rates.fixed.USD');
  });
});
