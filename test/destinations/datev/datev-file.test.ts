import { describe, expect, it } from 'vitest';
import { datevFile } from '../../../src/destinations/datev/datev-file.js';
import { datevSection } from '../../../src/destinations/datev/datev-settings.js';
import type { LedgerReads } from '../../../src/reads/index.js';

type Entry = { id: string; date: string; lines: { account: string; currency: string; cents: bigint }[] };

/** Just the reads a Buchungsstapel makes: the window's rendered entries and their bookings (no events: line pairs). */
function readsOf(entries: Entry[]) {
  return {
    journal: {
      async *renderedEntries() {
        for (const entry of entries)
          yield { ...entry, sourceId: 'smm-panel', description: `${entry.id} words`, eventIds: [] };
      },
    },
    entryBookings: async () =>
      new Map(entries.map((entry) => [entry.id, { bookedAt: `${entry.date}T23:30:00.000Z`, events: [] }])),
  } as unknown as LedgerReads;
}

type MappedAccount = { account: string; personal?: boolean };

function request(options: { rates?: Record<string, string>; accounts?: Record<string, MappedAccount> } = {}) {
  return {
    from: '2026-03-01',
    to: '2026-03-31',
    madeAt: '2026-04-01T00:00:00.000',
    fiscalYear: { start: '2026-01-01', end: '2026-12-31' },
    config: {
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      destinations: { rates: options.rates && { fixed: options.rates } },
    },
    mappings: {
      chart: { accounts: {}, events: {} },
      destinations: new Map([
        [
          'datev',
          {
            file: '/books/mappings/datev.yaml',
            settings: { accounts: {} },
            accounts: options.accounts ?? { bank: { account: '1200' }, smm_services_expense: { account: '4900' } },
          },
        ],
      ]),
    },
  } as unknown as Parameters<typeof datevFile>[1];
}

const SECTION = datevSection.parse({ adviser: 1001, client: 1, chart: 'SKR03' });

function entryIn(currency: string, cents: bigint): Entry {
  return {
    id: 'je:smm-panel:2026-03-02',
    date: '2026-03-02',
    lines: [
      { account: 'smm_services_expense', currency, cents },
      { account: 'bank', currency, cents: -cents },
    ],
  };
}

/** The booking lines' first 8 fields: Umsatz, S/H, WKZ Umsatz, Kurs, Basis-Umsatz, WKZ Basis-Umsatz, Konto, Gegenkonto. */
async function bookingFields(entries: Entry[], req: ReturnType<typeof request>): Promise<string[][]> {
  const file = await datevFile(readsOf(entries), req, SECTION);
  return file.bytes
    .toString('latin1')
    .split('\r\n')
    .slice(2, -1)
    .map((line) => line.split(';').slice(0, 8));
}

describe('DATEV booking lines of an entry in another currency than the books', () => {
  it("fills Kurs with the fixed rate and Basis-Umsatz with the amount in the books' currency at it", async () => {
    // 10.01 USD at 0.9 EUR per USD is 9.009 EUR: Basis-Umsatz 9,01 EUR, Kurs written with DATEV's two decimals at least.
    expect(await bookingFields([entryIn('USD', 1001n)], request({ rates: { USD: '0.9' } }))).toEqual([
      ['10,01', '"S"', '"USD"', '0,90', '9,01', '"EUR"', '4900', '1200'],
    ]);
  });

  it('writes Kurs with as many decimals as the rate has, up to six', async () => {
    // 100.00 GBP at 1.172846 EUR per GBP is 117.2846 EUR: 117,28.
    expect(await bookingFields([entryIn('GBP', 10000n)], request({ rates: { GBP: '1.172846' } }))).toEqual([
      ['100,00', '"S"', '"GBP"', '1,172846', '117,28', '"EUR"', '4900', '1200'],
    ]);
  });

  it("leaves Kurs and Basis-Umsatz empty on a line in the books' own currency", async () => {
    expect(await bookingFields([entryIn('EUR', 250n)], request())).toEqual([
      ['2,50', '"S"', '"EUR"', '', '', '', '4900', '1200'],
    ]);
  });

  it('refuses a currency without a rate by name, before anything is written', async () => {
    await expect(datevFile(readsOf([entryIn('EUR', 100n), entryIn('USD', 1001n)]), request(), SECTION)).rejects.toThrow(
      /je:smm-panel:2026-03-02 has lines in USD.*set destinations\.rates\.fixed\.USD/,
    );
  });

  it("refuses a rate DATEV's Kurs cannot hold (more than six decimals), naming it", async () => {
    await expect(
      datevFile(readsOf([entryIn('USD', 1001n)]), request({ rates: { USD: '0.9123456' } }), SECTION),
    ).rejects.toThrow(/destinations\.rates\.fixed\.USD "0\.9123456".*Kurs/);
  });
});

describe("the header's Sachkontenlänge checked against mappings/datev.yaml", () => {
  it('refuses a G/L account number of another length, naming the account, its number, the length and the file', async () => {
    const accounts = { bank: { account: '1200' }, smm_services_expense: { account: '49000' } };
    await expect(datevFile(readsOf([entryIn('EUR', 100n)]), request({ accounts }), SECTION)).rejects.toThrow(
      /\/books\/mappings\/datev\.yaml at accounts\.smm_services_expense: "49000" has 5 digits.*Sachkontenlänge.* 4/,
    );
  });

  it('refuses a mapped account that is not booked in the window too', async () => {
    const accounts = {
      bank: { account: '1200' },
      smm_services_expense: { account: '4900' },
      suspense: { account: '999' },
    };
    await expect(datevFile(readsOf([entryIn('EUR', 100n)]), request({ accounts }), SECTION)).rejects.toThrow(
      /accounts\.suspense: "999" has 3 digits/,
    );
  });

  it('takes a personal account (Debitor/Kreditor) with one digit more, and refuses it at the G/L length', async () => {
    const personal = { bank: { account: '1200' }, smm_services_expense: { account: '70001', personal: true } };
    expect(await bookingFields([entryIn('EUR', 100n)], request({ accounts: personal }))).toEqual([
      ['1,00', '"S"', '"EUR"', '', '', '', '70001', '1200'],
    ]);
    const short = { bank: { account: '1200' }, smm_services_expense: { account: '7000', personal: true } };
    await expect(datevFile(readsOf([entryIn('EUR', 100n)]), request({ accounts: short }), SECTION)).rejects.toThrow(
      /accounts\.smm_services_expense: "7000" has 4 digits.* personal account .* 5/,
    );
  });
});
