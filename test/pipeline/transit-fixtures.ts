import { join } from 'node:path';
import type { JournalEntry } from '../../src/rules/index.js';
import { bookEntries } from '../cli/post-cli-harness.js';
import { ledgerLocation } from './post-books.js';
import { openLedgerTables } from '../support/ledger-tables.js';

/** A PayPal payout of the ad network, as a test books it. */
export interface TestPayout {
  id: string;
  date: string;
  micros: bigint;
}

/** October's two PayPal payouts: 312.40 on 10-14 and 120.00 on 10-30. */
export const OCTOBER_PAYOUTS: readonly TestPayout[] = [
  { id: 'payelancer:ads-publisher:payout:2026-10-14', date: '2026-10-14', micros: 312_400_000n },
  { id: 'payelancer:ads-publisher:payout:2026-10-30', date: '2026-10-30', micros: 120_000_000n },
];

/** The payout's journal entry (its id `je:` and the payout's): Dr payout_clearing_paypal, Cr payelancer_receivable, linked to its event. */
export function payoutEntry(payout: TestPayout): JournalEntry {
  return {
    id: `je:${payout.id}`,
    date: payout.date,
    sourceId: 'ads-publisher',
    description: `Ad network payout (PayPal) ${payout.date}`,
    eventIds: [payout.id],
    lines: [
      { account: 'payout_clearing_paypal', currency: 'USD', amountMicros: payout.micros },
      { account: 'payelancer_receivable', currency: 'USD', amountMicros: -payout.micros },
    ],
  };
}

/** Books the payouts into ./data/ledger.sqlite of `dir` (or the ledger at `ledgerUrl`) as a sync would: each event landed, then its journal entry (so each is cleared). */
export async function bookPayouts(dir: string, payouts: readonly TestPayout[], ledgerUrl?: string): Promise<void> {
  await bookEntries(dir, [], ledgerUrl);
  const tables = await openLedgerTables(ledgerLocation(join(dir, 'data'), ledgerUrl));
  try {
    for (const payout of payouts) {
      await tables.run(
        tables.db.insertInto('source_events').values({
          id: payout.id,
          source_id: 'ads-publisher',
          kind: 'payout_paypal',
          date: payout.date,
          currency: 'USD',
          amount_micros: payout.micros,
          ref: payout.id,
          detail: '{}',
          run_id: null,
          created_at: '2026-11-01T02:00:00Z',
        }),
      );
    }
  } finally {
    await tables.close();
  }
  await bookEntries(dir, payouts.map(payoutEntry), ledgerUrl);
}
