import { renameSync, rmSync } from 'node:fs';
import type { AdjustmentRecord } from '../../ledger/index.js';
import { ledgerReads } from '../../reads/index.js';
import { appendWitness, readWitness, type WitnessPlace, type WitnessRecord } from './witness-log.js';
import { bindingRecords } from './witnessed-heads.js';
import { sendWitnessToUrl } from './ledger-witness.js';
import { sealBooks } from '../operations/index.js';
import type { BooksOf } from '../../store/index.js';

/** What a restore reads of both books: the chain's entries and the deliveries, acknowledgements and adjustments. */
type Removed = Extract<WitnessRecord, { kind: 'restore' }>['removed'];

/** What a ledger holds that a restore may take away: its entries, deliveries, acknowledgements and adjustments. */
interface BooksContents {
  entries: Removed['entries'];
  deliveries: Removed['deliveries'];
  acknowledgements: string[];
  adjustments: AdjustmentRecord[];
}

/** What `restore` did: the head witnessed, what the backup lacks, and the adjusting entries a person books again. */
export interface Restored {
  head: { position: number; entryId: string; hash: string } | undefined;
  removed: Removed;
  bookAgain: AdjustmentRecord[];
  /** Heads witnessed before the restore whose entry the restored books lack (the ledger in place may already be the copy). */
  witnessedLost: { entryId: string; position: number; date: string }[];
  /** Deliveries of entries the restored books hold, posted after the backup: carried into them, so none is sent twice. */
  carried: Removed['deliveries'];
  /** Why the URL witness did not get the restore (the file did; the next run that writes sends it), if it did not. */
  urlNotWritten?: string;
}

/** A ledger's contents, read for a restore to compare (every entry, the deliveries to each destination named). */
export async function booksContents(books: BooksOf, destinations: readonly string[]): Promise<BooksContents> {
  const entries: Removed['entries'] = [];
  for await (const chunk of books.of(sealBooks).chainChunks())
    for (const [, id, date, sourceId] of chunk.entries) entries.push({ id, date, sourceId });
  const deliveries: Removed['deliveries'] = [];
  for (const destination of destinations)
    for (const delivery of await books.of(ledgerReads).postedDeliveries(destination))
      deliveries.push({ entryId: delivery.entryId, destination, remoteId: delivery.remoteId ?? '' });
  const acknowledgements = [...(await books.of(ledgerReads).acknowledgementHistory()).keys()];
  const adjustments = (await books.of(ledgerReads).adjustingEntries?.()) ?? [];
  return { entries, deliveries, acknowledgements, adjustments };
}

/** What `restore` is handed: where the ledger and its witness are, the backup and both books' contents, and how to put it back. */
interface RestoreRequest {
  place: WitnessPlace;
  /** The configured ledger: a SQLite file, or a postgres:// URL. */
  ledger: { engine: 'sqlite' | 'postgres'; location: string };
  /** The file the person named, as the witness records it. */
  from: string;
  /** The copy of it the restore read (and migrated): put in the ledger's place; `from` itself is never written. */
  staged: string;
  reason: string;
  /** Only list what the restore would remove and carry: nothing is put back, carried or witnessed. */
  dryRun?: boolean;
  by: string;
  now: Date;
  current: BooksContents;
  backup: BooksContents;
  witnessed: readonly WitnessRecord[];
  /** Records, in the restored books, each destination's journal ids by entry (as a post that found them would). */
  carry: (found: ReadonlyMap<string, ReadonlyMap<string, string>>) => Promise<void>;
  restoredHead: () => Promise<Restored['head']>;
  /** A PostgreSQL ledger's tables replaced by a ledgerline SQLite file's rows, in one transaction (the composition root's). */
  restorePostgres: (from: string, to: string) => Promise<void>;
}

/** What a restore takes away and carries: the same listing whether it is done or only shown (`--dry-run`). */
type RestoreListing = Omit<Restored, 'head' | 'urlNotWritten'>;

/**
 * What putting `backup` in the place of `current` removes, carries and leaves to book again, computed before anything
 * changes (issue 84: `--dry-run` shows it and stops). Example: the copy of 03-10 over the books of 03-12 → removed:
 * the entries of 03-11 and 03-12, je:adjustment:2026-03-12:1 to book again, and their deliveries.
 */
function restoreListing(
  current: BooksContents,
  backup: BooksContents,
  witnessed: readonly WitnessRecord[],
): RestoreListing {
  const kept = new Set(backup.entries.map((entry) => entry.id));
  const keptDeliveries = new Set(backup.deliveries.map((delivery) => `${delivery.entryId} ${delivery.destination}`));
  const keptAcks = new Set(backup.acknowledgements);
  const removed: Removed = {
    entries: current.entries.filter((entry) => !kept.has(entry.id)),
    deliveries: current.deliveries.filter(
      (delivery) => !keptDeliveries.has(`${delivery.entryId} ${delivery.destination}`),
    ),
    acknowledgements: current.acknowledgements.filter((id) => !keptAcks.has(id)),
  };
  const carried = removed.deliveries.filter((delivery) => kept.has(delivery.entryId) && delivery.remoteId !== '');
  const bookAgain = current.adjustments.filter((adjustment) => !kept.has(adjustment.entryId));
  const listed = new Set(removed.entries.map((entry) => entry.id));
  const witnessedLost = [
    ...new Map(
      bindingRecords(witnessed).flatMap((record) =>
        (record.kind === 'head' || record.kind === 'restore') &&
        record.position > 0 &&
        !kept.has(record.entryId) &&
        !listed.has(record.entryId)
          ? [[record.entryId, { entryId: record.entryId, position: record.position, date: record.date }] as const]
          : [],
      ),
    ).values(),
  ];
  return { removed, bookAgain, witnessedLost, carried };
}

/**
 * A deliberate restore (issue 73), said once (with `dryRun`, only listed): the backup put in the ledger's place (the staged copy renamed over it,
 * its journal files removed), the restore, its reason and what it removed recorded in the witness with the
 * restored head, so the heads witnessed before no longer bind. Example: the copy of 03-10 put back over the books
 * of 03-12 → removed: the nights' entries of 03-11 and 03-12 (the next night books them again from what the
 * sources still say), je:adjustment:2026-03-12:1 (a person books it again), and their deliveries.
 */
export async function restoreLedger(request: RestoreRequest): Promise<Restored> {
  const listing = restoreListing(request.current, request.backup, request.witnessed);
  if (request.dryRun === true) return { head: undefined, ...listing };
  await putBack(request.staged, request.ledger, request.restorePostgres);
  const byDestination = new Map<string, Map<string, string>>();
  for (const { destination, entryId, remoteId } of listing.carried)
    byDestination.set(destination, (byDestination.get(destination) ?? new Map()).set(entryId, remoteId));
  await request.carry(byDestination);
  const head = await request.restoredHead();
  appendWitness(request.place, [
    {
      kind: 'restore',
      at: request.now.toISOString(),
      date: request.now.toISOString().slice(0, 10),
      command: 'restore',
      position: head?.position ?? 0,
      entryId: head?.entryId ?? '',
      hash: head?.hash ?? '0'.repeat(64),
      from: request.from,
      reason: request.reason,
      by: request.by,
      removed: listing.removed,
    },
  ]);
  const urlNotWritten = await sendWitnessToUrl(request.place);
  return { head, ...listing, ...(urlNotWritten === undefined ? {} : { urlNotWritten }) };
}

/**
 * The backup put in the ledger's place. A SQLite ledger: the staged copy (beside the file) renamed over it, its
 * journal files removed. A PostgreSQL ledger: every ledger table's rows replaced by the copy's in one transaction
 * (store/restore-postgres-ledger.ts); its backup is a ledgerline SQLite ledger, as `migrate --to` leaves one.
 */
async function putBack(
  staged: string,
  ledger: { engine: 'sqlite' | 'postgres'; location: string },
  restorePostgres: (from: string, to: string) => Promise<void>,
): Promise<void> {
  if (ledger.engine === 'postgres') return restorePostgres(staged, ledger.location);
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${ledger.location}${suffix}`, { force: true });
  renameSync(staged, ledger.location);
}

/**
 * The journals a restore listed as removed at one destination (entry id → journal id): this ledger's own
 * deliveries, so a post that finds the entry booked again under the same journal confirms it instead of taking it
 * for another copy's. Example: the copy of 03-30 put back after 03-31 was posted as Xero journal X → the night of
 * 03-31 booked again finds X and records it posted; nothing is sent twice.
 */
export function deliveriesRemovedByRestore(place: WitnessPlace, destination: string): Map<string, string> {
  const removed = new Map<string, string>();
  for (const record of readWitness(place).records)
    if (record.kind === 'restore')
      for (const delivery of record.removed.deliveries)
        if (delivery.destination === destination && delivery.remoteId !== '')
          removed.set(delivery.entryId, delivery.remoteId);
  return removed;
}
