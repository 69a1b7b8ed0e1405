import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../../log/index.js';
import { ADD_OUTCOMES, type AddRequestRecord } from '../../../ledger/index.js';
import type { ProxyBooks, ProxyWrites } from '../books/proxy-books.js';

/**
 * The panel proxy's spool: a local append-only file beside the ledger where
 * the proxy keeps what the ledger could not take at once (busy with another
 * writer's lock, or unwritable), so that it never waits on the ledger nor
 * loses an order. Each record is one line of JSON, written with a newline
 * before and after and synced to the disk before the proxy goes on; a record
 * torn by a crash is then alone on its line, and skipped. The next sync of
 * the source imports every record the ledger does not hold yet (by the
 * proxy's request id, so importing twice changes nothing).
 */

const Text = z.string().min(1).max(10_000);
const Instant = z.string().min(20).max(40);

const AddRequestedSchema = z.object({
  record: z.literal('add_requested'),
  id: Text,
  source: Text,
  service: Text.nullable(),
  quantity: z
    .string()
    .regex(/^\d{1,18}$/)
    .nullable(),
  requestedAt: Instant,
  receivedAt: Instant,
});

const AddAnsweredSchema = z.object({
  record: z.literal('add_answered'),
  request: Text,
  outcome: z.enum(ADD_OUTCOMES),
  orderId: Text.nullable(),
  httpStatus: z.number().int().nullable(),
  detail: z.string().max(10_000).nullable(),
  answeredAt: Instant,
  reply: z.object({ request: z.string(), fetchedAt: Instant, body: z.string() }).nullable(),
});

const SpoolRecordSchema = z.discriminatedUnion('record', [AddRequestedSchema, AddAnsweredSchema]);
export type SpoolRecord = z.infer<typeof SpoolRecordSchema>;

/**
 * What came of an add, as the ledger keeps it (add_outcomes, and the raw reply when there was one): the spool's
 * record without its kind and request id. `reply` is the panel's reply as received (the key already taken out),
 * null when it did not answer.
 */
export type AddOutcomeFacts = Omit<z.infer<typeof AddAnsweredSchema>, 'record' | 'request'>;

export interface ProxySpool {
  readonly path: string;
  /** Appends one record and syncs it to the disk; throws when it cannot. */
  append(record: SpoolRecord): Promise<void>;
}

/** The spool at `path`, created (mode 600, its folder synced) on its first record. */
export function proxySpool(path: string): ProxySpool {
  let folderSynced = false;
  return {
    path,
    async append(record) {
      await mkdir(dirname(path), { recursive: true });
      const file = await open(path, 'a', 0o600);
      try {
        await file.write(`\n${JSON.stringify(record)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      if (!folderSynced) {
        // A new file's name is durable only once its folder is synced.
        const folder = await open(dirname(path), 'r');
        try {
          await folder.sync();
        } finally {
          await folder.close();
        }
        folderSynced = true;
      }
    },
  };
}

/** The spool's records in the order written, and the lines that do not read as one (a record torn by a crash). */
export async function readProxySpool(path: string): Promise<{ records: SpoolRecord[]; unreadableLines: number[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], unreadableLines: [] };
    throw error;
  }
  const records: SpoolRecord[] = [];
  const unreadableLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: z.ZodSafeParseResult<SpoolRecord>;
    try {
      parsed = SpoolRecordSchema.safeParse(JSON.parse(line));
    } catch {
      unreadableLines.push(index + 1);
      return;
    }
    if (parsed.success) records.push(parsed.data);
    else unreadableLines.push(index + 1);
  });
  return { records, unreadableLines };
}

export function requestRecord(row: AddRequestRecord): SpoolRecord {
  return {
    record: 'add_requested',
    id: row.requestId,
    source: row.sourceId,
    service: row.service,
    quantity: row.quantity === null ? null : row.quantity.toString(),
    requestedAt: row.requestedAt,
    receivedAt: row.receivedAt,
  };
}

export function outcomeRecord(requestId: string, facts: AddOutcomeFacts): SpoolRecord {
  return { record: 'add_answered', request: requestId, ...facts };
}

/**
 * Keeps what came of a held request, once: the raw reply first, then the outcome, then the order it
 * placed, registered as the proxy registers one (created_at the request's time in the books' zone,
 * first seen on its date). Returns false when its outcome was held already. Runs in one unit of work.
 */
export function bookAddOutcome(
  books: ProxyBooks,
  request: AddRequestRecord,
  facts: AddOutcomeFacts,
  keptVia: 'ledger' | 'spool',
  now: Date,
): Promise<boolean> {
  return books.unit((tx) => bookAddOutcomeIn(tx, request, facts, keptVia, now));
}

async function bookAddOutcomeIn(
  tx: ProxyWrites,
  request: AddRequestRecord,
  facts: AddOutcomeFacts,
  keptVia: 'ledger' | 'spool',
  now: Date,
): Promise<boolean> {
  if (await tx.addOutcomeHeld(request.requestId)) return false;
  const rawObservationId =
    facts.reply === null
      ? null
      : await tx.landAddReply({
          sourceId: request.sourceId,
          request: facts.reply.request,
          asOf: request.requestedAt.slice(0, 10),
          fetchedAt: facts.reply.fetchedAt,
          httpStatus: facts.httpStatus ?? 0,
          body: facts.reply.body,
          contentHash: createHash('sha256').update(facts.reply.body).digest('hex'),
        });
  await tx.recordAddOutcome({ requestId: request.requestId, ...facts, rawObservationId, keptVia });
  if (facts.outcome === 'placed' && facts.orderId !== null) {
    await tx.registerPlacedOrder(
      request.sourceId,
      {
        orderId: facts.orderId,
        service: request.service,
        quantity: request.quantity,
        createdAt: request.requestedAt,
        discoveredVia: 'proxy',
      },
      { firstSeenDate: request.requestedAt.slice(0, 10), now: now.toISOString() },
    );
  }
  return true;
}

interface SpoolImport {
  requests: number;
  outcomes: number;
  /** Outcomes whose request is in neither the ledger nor the spool: kept in the file, imported once it is. */
  orphanOutcomes: number;
  unreadableLines: number[];
}

/**
 * The spool's records of the source the ledger does not hold yet, kept with `books` (a unit's writes); a second
 * import of the same file changes nothing.
 */
export async function importSpoolRecords(
  books: ProxyWrites,
  sourceId: string,
  spool: { records: readonly SpoolRecord[]; unreadableLines: number[] },
  now: Date,
): Promise<SpoolImport> {
  const imported: SpoolImport = { requests: 0, outcomes: 0, orphanOutcomes: 0, unreadableLines: spool.unreadableLines };
  for (const record of spool.records) {
    if (record.record === 'add_requested') {
      if (record.source !== sourceId) continue;
      if (await books.recordAddRequest(spooledRequest(record))) imported.requests += 1;
      continue;
    }
    const request = await books.heldAddRequest(record.request);
    if (request === undefined) {
      imported.orphanOutcomes += 1;
      continue;
    }
    if (request.sourceId !== sourceId) continue;
    const { record: _kind, request: _id, ...facts } = record;
    if (await bookAddOutcomeIn(books, request, facts, 'spool', now)) imported.outcomes += 1;
  }
  return imported;
}

/** A spooled request as the ledger keeps it. */
export function spooledRequest(record: Extract<SpoolRecord, { record: 'add_requested' }>): AddRequestRecord {
  return {
    requestId: record.id,
    sourceId: record.source,
    service: record.service,
    quantity: record.quantity === null ? null : BigInt(record.quantity),
    requestedAt: record.requestedAt,
    receivedAt: record.receivedAt,
    keptVia: 'spool',
  };
}

/**
 * What a panel close's opening says of the spool it imported: what it imported (so this very close
 * polls the orders), and the lines it could not read.
 */
export function tellSpoolImport(logger: Logger, path: string, imported: SpoolImport): void {
  if (imported.requests + imported.outcomes > 0) {
    logger.info(
      `imported ${imported.requests} add request(s) and ${imported.outcomes} outcome(s) the panel proxy kept in ${path}`,
    );
  }
  if (imported.unreadableLines.length > 0) {
    logger.warn(
      `${path}: line(s) ${imported.unreadableLines.join(', ')} are not a record (written when the machine stopped?); skipped`,
    );
  }
  if (imported.orphanOutcomes > 0)
    logger.warn(`${path}: ${imported.orphanOutcomes} outcome(s) whose request is not held yet; kept for the next sync`);
}
