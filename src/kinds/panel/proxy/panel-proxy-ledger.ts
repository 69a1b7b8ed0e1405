import { localDateTime } from '../../../calendar/index.js';
import type { AddOutcome, AddRequest, KeptAt, PanelProxyLedger } from './panel-proxy.js';
import type { AddOutcomeKind, AddRequestRecord } from '../../../ledger/index.js';
import type { ProxyBooks } from '../books/proxy-books.js';
import { bookAddOutcome, outcomeRecord, requestRecord, type AddOutcomeFacts, type ProxySpool } from './proxy-spool.js';
import { messageOf } from '../../../errors.js';

/**
 * What `ledgerline panel-proxy` writes, built on the store, with the spool
 * file as its fallback. The request is written before the panel is asked;
 * its outcome (the raw reply, then the order it placed, registered as an
 * orders file would name it, so that the next close polls it) in one unit of
 * work after. Any write the ledger refuses at once (the proxy's connection
 * never waits for another writer's lock: busy_timeout 0) goes to the spool,
 * and so does the outcome of a request that went there (the ledger would
 * refuse an outcome whose request it does not hold). Orders are dated in the
 * books' time zone ("2026-03-14T02:25:00.000+05:30" in Asia/Kolkata): the
 * first ten characters, the date the close goes by, are the local date it
 * was placed on, and also the raw row's as_of and the first-seen date.
 */
export function panelProxyLedger(books: ProxyBooks, options: PanelProxyLedgerOptions): PanelProxyLedger {
  const { sourceId, spool } = options;
  // A write into files that can no longer take it can fault by signal (SIGBUS on WAL's mapped -shm), which no
  // catch survives: such a write is not tried, and goes to the spool with the reason.
  const unsafe = (): void => {
    const refusal = options.writeRefusal?.();
    if (refusal !== undefined) throw new Error(refusal);
  };
  const local = localDateTime(options.timezone);
  const spooled = new Set<string>();
  const rowOf = (request: AddRequest, keptVia: 'ledger' | 'spool'): AddRequestRecord => ({
    requestId: request.requestId,
    sourceId,
    service: request.service,
    quantity: request.quantity,
    requestedAt: local(request.requestedAt),
    receivedAt: request.receivedAt.toISOString(),
    keptVia,
  });
  return {
    async keepAddRequest(request) {
      try {
        unsafe();
        await books.recordAddRequest(rowOf(request, 'ledger'));
        return { at: 'ledger' };
      } catch (error) {
        await spool.append(requestRecord(rowOf(request, 'spool')));
        spooled.add(request.requestId);
        return spooledAt(spool, error);
      }
    },
    async keepAddOutcome(request, outcome) {
      const facts = outcomeFacts(outcome);
      let ledgerError: unknown = `its request was kept in ${spool.path}`;
      if (!spooled.has(request.requestId)) {
        try {
          unsafe();
          await bookAddOutcome(books, rowOf(request, 'ledger'), facts, 'ledger', options.now());
          return { at: 'ledger' };
        } catch (error) {
          ledgerError = error;
        }
      }
      await spool.append(outcomeRecord(request.requestId, facts));
      spooled.delete(request.requestId);
      return spooledAt(spool, ledgerError);
    },
  };
}

interface PanelProxyLedgerOptions {
  sourceId: string;
  timezone: string;
  now: () => Date;
  spool: ProxySpool;
  /** Why the ledger's files cannot safely take a write now (read-only, a full disk), checked before each one; undefined when they can. */
  writeRefusal?: () => string | undefined;
}

function spooledAt(spool: ProxySpool, ledgerError: unknown): KeptAt {
  return {
    at: 'spool',
    path: spool.path,
    ledgerError: messageOf(ledgerError),
  };
}

/**
 * An answered add is placed (an order id), not placed (no id), or unknown (an id that cannot be read); no answer
 * is unknown when the request may have reached the panel.
 */
function outcomeFacts(outcome: AddOutcome): AddOutcomeFacts {
  if (outcome.kind === 'no-answer') {
    const kind: AddOutcomeKind = outcome.mayHavePlaced ? 'unknown' : 'not_placed';
    return {
      outcome: kind,
      orderId: null,
      httpStatus: null,
      detail: `the panel did not answer (${outcome.failure})`,
      answeredAt: outcome.at.toISOString(),
      reply: null,
    };
  }
  const { reply, reading } = outcome;
  const kept = { request: JSON.stringify(reply.request), fetchedAt: reply.fetchedAt, body: reply.bodyText };
  const common = { httpStatus: reply.httpStatus, answeredAt: reply.fetchedAt, reply: kept };
  switch (reading.kind) {
    case 'placed':
      return { ...common, outcome: 'placed', orderId: reading.orderId, detail: null };
    case 'not-placed':
      return { ...common, outcome: 'not_placed', orderId: null, detail: null };
    case 'unreadable':
      return {
        ...common,
        outcome: 'unknown',
        orderId: null,
        detail: `the panel answered with an order id that cannot be read (${reading.reason})`,
      };
  }
}
