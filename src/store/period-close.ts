import { closeLink, type ClosedPeriod } from '../ledger/index.js';
import { chainEnd } from './chain-closes.js';
import { journalSeal } from './journal.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** The periods `ledgerline close` closed (migration 0018), and what a close reads of the deliveries of a period. */

/**
 * Keeps a period's close, unless an entry was appended since its certificate was made: returns false then, and
 * keeps nothing. The head is read under the chain's lock (journalSeal), so no append slips in before the rows are
 * kept: the close's row of closed_periods, and its record in the chain (migration 0026), linked after the chain's
 * head, which the next entry then continues. Both tables are append-only, and a period is closed once (their key).
 */
export async function recordClosedPeriod(
  store: LedgerStore,
  close: ClosedPeriod,
  headWhenCertified: string,
): Promise<boolean> {
  return store.unitOfWork(async (tx) => {
    const seal = await journalSeal(tx);
    if (seal.head !== headWhenCertified) return false;
    const row = {
      period: close.period,
      period_end: close.periodEnd,
      chain_head: close.chainHead,
      certificate_sha256: close.certificateSha256,
      closed_at: close.closedAt,
      closed_by: close.closedBy,
    };
    await tx.run(queryBuilder(tx).insertInto('closed_periods').values(row));
    const { lastSeq } = await chainEnd(tx);
    await tx.run(
      queryBuilder(tx)
        .insertInto('chain_closes')
        .values({ ...row, after_seq: lastSeq, chain_hash: closeLink(seal.head, close) }),
    );
    return true;
  });
}

/** Each entry dated from `from` to `to` with its delivery to `destination` (state, the destination's id and the rate it went at), none when it has no row. */
export async function deliveriesBetween(
  store: LedgerStore,
  destination: string,
  from: string,
  to: string,
): Promise<
  Map<string, { state: string; remoteId: string | null; exchangeRate: string | null; rateSource: string | null }>
> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('deliveries as d')
      .innerJoin('journal_entries as e', 'e.id', 'd.entry_id')
      .select(['d.entry_id', 'd.state', 'd.remote_id', 'd.exchange_rate', 'd.rate_source'])
      .where('d.destination', '=', destination)
      .where('e.date', '>=', from)
      .where('e.date', '<=', to),
  );
  return new Map(
    rows.map((row) => [
      row.entry_id,
      { state: row.state, remoteId: row.remote_id, exchangeRate: row.exchange_rate, rateSource: row.rate_source },
    ]),
  );
}
