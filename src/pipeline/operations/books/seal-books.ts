import { closeLink, type ChainChunk, type ChainCloseRecord, type ClosedPeriod } from '../../../ledger/index.js';
import {
  journalBooksOver,
  journalReadsOver,
  queryBuilder,
  type StoreHandle,
  type StoreTx,
} from '../../../store/index.js';

/**
 * What sealing months reads and keeps of the books (issue 42): the journal's lines with their chain hashes, in
 * the order the chain runs, the closed periods, and what a close reads and keeps, over the store's chain.
 * Reads on the port; the close is kept only on the `tx` its unit hands (issue 53 item 4).
 */
export interface SealBooks extends SealReads {
  unit<T>(work: (tx: SealBooksTx) => Promise<T>): Promise<T>;
}

/** Sealing's write, only on the `tx` of a unit of work (`SealBooks.unit` hands it). */
export interface SealBooksTx extends SealReads {
  /** Keeps the close, unless an entry was appended since the chain head the certificate was made on: false then, nothing kept. */
  recordClose(close: ClosedPeriod, headWhenCertified: string): Promise<boolean>;
}

/** What sealing reads: on the port itself and in its unit alike. */
interface SealReads {
  /** Every entry with its lines (see ChainChunk), in append order, a run of entries at a time. */
  chainChunks(): AsyncIterable<ChainChunk>;
  /** The chain's other records (migration 0026): the first seq chained in form 2 (0n: every entry) and the closes, in chain order. */
  chainRecords(): Promise<{ form2FromSeq: bigint; closes: ChainCloseRecord[] }>;
  /** The rows of closed_periods alone, oldest first, to hold against the chain's records of the closes. */
  closedPeriodRows(): Promise<ClosedPeriod[]>;
  /** Every closed period, oldest first, as the period lock reads them (the chain's records, and closed_periods). */
  closedPeriods(): Promise<ClosedPeriod[]>;
  /** The delivery to `destination` of each entry dated from `from` to `to` that has one: its state, the destination's journal id and the rate it went at. */
  deliveriesBetween(
    destination: string,
    from: string,
    to: string,
  ): Promise<
    Map<string, { state: string; remoteId: string | null; exchangeRate: string | null; rateSource: string | null }>
  >;
}

/** Entries read per chunk of the chain: three reads a chunk, a few hundred kB held (4,000 was no faster, and held more through collections). */
const CHAIN_CHUNK_ENTRIES = 1000;

/** Sealing's reads over the store or a unit's `tx`. */
const sealReads = (store: StoreHandle): SealReads => {
  const journal = journalReadsOver(store);
  return {
    chainChunks: () => journal.chainChunks(CHAIN_CHUNK_ENTRIES),
    chainRecords: async () => ({
      form2FromSeq: await journal.form2FromSeq(),
      closes: await journal.chainCloseRecords(),
    }),
    closedPeriodRows: journal.closedPeriodRows,
    closedPeriods: journal.closedPeriodsOfChain,
    deliveriesBetween: async (destination, from, to) => {
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
    },
  };
};

/**
 * The close kept in one unit of work, over its `tx` (migration 0018). The head is read under the chain's lock
 * (journalSeal), so no append slips in before the rows are kept: the close's row of closed_periods, and its record
 * in the chain (migration 0026), linked after the chain's head, which the next entry then continues. Both tables are
 * append-only, and a period is closed once (their key).
 */
const sealBooksTx = (tx: StoreTx): SealBooksTx => ({
  ...sealReads(tx),
  recordClose: async (close, headWhenCertified) => {
    const seal = await journalBooksOver(tx).journalSeal();
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
    const { lastSeq } = await journalReadsOver(tx).chainEnd();
    await tx.run(
      queryBuilder(tx)
        .insertInto('chain_closes')
        .values({ ...row, after_seq: lastSeq, chain_hash: closeLink(seal.head, close) }),
    );
    return true;
  },
});

/** Sealing months' books over the store's handle (`books.of(sealBooks)`): reads, and the close in a unit. */
export const sealBooks = (store: StoreHandle): SealBooks => ({
  ...sealReads(store),
  unit: (work) => store.unitOfWork((tx) => work(sealBooksTx(tx))),
});
