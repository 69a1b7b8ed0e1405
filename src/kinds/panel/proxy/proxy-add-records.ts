import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../../../sources/index.js';
import { addRequestFacts, readAddReply, type AddRequestFacts } from './proxied-request.js';
import type { AddOutcome, AddRequest, KeptAt, PanelReply, ProxyLogFields, ProxyRun } from './panel-proxy.js';
import { messageOf } from '../../../errors.js';

/*
 * The proxy's record of each add: dated and kept (ledger or spool) before it is sent, and what came of it kept after,
 * each said in the log. An add that cannot be kept is not sent.
 */

/** What came of an answered add: the reply as received (a key the panel echoes redacted) and what it says. */
export function answeredAdd(
  proxy: ProxyRun,
  adding: AddRequest,
  sent: { method: string; path: string },
  reply: PanelReply,
): AddOutcome {
  const bodyText = reply.body.toString('utf8');
  return {
    kind: 'answered',
    reply: {
      sourceId: proxy.sourceId,
      action: 'add',
      request: { method: sent.method, path: sent.path, params: addParams(adding) },
      httpStatus: reply.status,
      // A panel that echoes the key must not get it written anywhere.
      bodyText: bodyText.split(proxy.apiKey).join('[redacted]'),
      fetchedAt: proxy.clock().toISOString(),
    },
    reading: readAddReply(bodyText),
  };
}

/** Dates an add and keeps it (ledger or spool); undefined, with the caller answered, when it cannot be: it is then not sent. */
export async function keptAddRequest(
  proxy: ProxyRun,
  fields: URLSearchParams,
  response: ServerResponse,
): Promise<AddRequest | undefined> {
  const { logger } = proxy;
  let adding: AddRequest;
  try {
    adding = {
      requestId: randomUUID(),
      ...addRequestFacts(fields),
      requestedAt: await proxy.requestTime(),
      receivedAt: proxy.clock(),
    };
  } catch (error) {
    logger.error('panel proxy cannot date an order; nothing was sent to the panel', {
      source: proxy.sourceId,
      error: messageOf(error),
    });
    sendJson(
      response,
      failure(503, `the proxy cannot date the order (${messageOf(error)}); nothing was sent to the panel`),
    );
    return undefined;
  }
  try {
    const kept = await proxy.ledger.keepAddRequest(adding);
    if (kept.at === 'spool')
      logger.warn(
        'panel proxy: the ledger could not take an add request at once; kept in the spool for the next sync',
        { ...logged(proxy, adding), spool: kept.path, error: kept.ledgerError },
      );
    return adding;
  } catch (error) {
    logger.error(
      'panel proxy cannot keep a record of an add, in the ledger or the spool; nothing was sent to the panel',
      { ...logged(proxy, adding), error: messageOf(error) },
    );
    sendJson(
      response,
      failure(503, `the proxy cannot keep a record of the order (${messageOf(error)}); nothing was sent to the panel`),
    );
    return undefined;
  }
}

/** Keeps what came of an add; says in the log what it was and where it went. The caller's reply never depends on it. */
export async function keepOutcome(proxy: ProxyRun, adding: AddRequest, outcome: AddOutcome): Promise<void> {
  const { logger } = proxy;
  const order = outcome.kind === 'answered' && outcome.reading.kind === 'placed' ? outcome.reading.orderId : undefined;
  if (outcome.kind === 'answered' && outcome.reading.kind === 'unreadable') {
    logger.error(
      'panel proxy: the panel answered an add with an order id that cannot be read; it may have placed an order the ledger does not know (`ledgerline reconcile` lists it)',
      {
        ...logged(proxy, adding),
        reason: outcome.reading.reason,
      },
    );
  }
  let kept: KeptAt;
  try {
    kept = await proxy.ledger.keepAddOutcome(adding, outcome);
  } catch (error) {
    logger.error(
      'ORDER NOT RECORDED: what came of an add could be kept neither in the ledger nor in the spool; add the order to an orders file for the next sync',
      {
        ...logged(proxy, adding),
        order,
        error: messageOf(error),
      },
    );
    return;
  }
  if (kept.at === 'spool')
    logger.warn(
      'panel proxy: the ledger could not take what came of an add at once; kept in the spool for the next sync',
      { ...logged(proxy, adding), order, spool: kept.path, error: kept.ledgerError },
    );
  else if (order !== undefined) logger.info('panel proxy recorded an order', { ...logged(proxy, adding), order });
}

function logged(proxy: ProxyRun, adding: AddRequest): ProxyLogFields {
  return { source: proxy.sourceId, request: adding.requestId, service: adding.service, quantity: adding.quantity };
}

export function failure(status: number, error: string) {
  return { status, payload: { error } };
}

/** What the raw row says was asked: the service and quantity only, never the key, the link or the customer's texts. */
function addParams(facts: AddRequestFacts): Record<string, string> {
  return {
    action: 'add',
    ...(facts.service === null ? {} : { service: facts.service }),
    ...(facts.quantity === null ? {} : { quantity: facts.quantity.toString() }),
  };
}
