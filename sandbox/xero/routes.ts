import type { IncomingMessage } from 'node:http';
import { assertNever } from '../../src/rules/index.js';
import { headerText, jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import { renderTrackingCategories } from './organisation.js';
import type { XeroTenant } from './tenant.js';
import { writeJournals, listJournals, getJournal } from './journals.js';
import { organisation, taxRatesReply, listAccounts } from './organisation-endpoints.js';
import { trialBalance } from './reports.js';
import { listBankTransfers, writeBankTransfers } from './bank-transfers.js';
import { listBankTransactions, writeBankTransactions } from './bank-transactions.js';
import { listAttachments, writeAttachment } from './attachments.js';

/** Xero's paths under the prefix, and the dispatch of an Accounting API call to the module that answers it. */

const MAX_IDEMPOTENCY_KEY = 128;

export type Route =
  | { kind: 'token' }
  | { kind: 'authorize' }
  | { kind: 'consent' }
  | { kind: 'revocation' }
  | { kind: 'connections' }
  | { kind: 'connection-delete'; id: string }
  | { kind: 'journals-write' }
  | { kind: 'journals-list' }
  | { kind: 'journal-get'; id: string }
  | { kind: 'organisation' }
  | { kind: 'accounts' }
  | { kind: 'tax-rates' }
  | { kind: 'trial-balance' }
  | { kind: 'tracking-categories' }
  | { kind: 'bank-transfers-write' }
  | { kind: 'bank-transfers-get'; id: string | undefined }
  | { kind: 'bank-transactions-write' }
  | { kind: 'bank-transactions-get'; id: string | undefined }
  | { kind: 'attachments-write'; id: string; fileName: string }
  | { kind: 'attachments-list'; id: string }
  | { kind: 'admin-reconcile' }
  | { kind: 'admin-journal' }
  | { kind: 'admin-lock-dates' }
  | { kind: 'admin-trial-balance' }
  | { kind: 'not-found' };

/** The routes that reach the Accounting API proper: authorized, tenant-checked and counted against the limits. */
export type ApiRoute = Exclude<
  Route,
  {
    kind:
      | 'token'
      | 'authorize'
      | 'consent'
      | 'revocation'
      | 'connections'
      | 'connection-delete'
      | 'admin-reconcile'
      | 'admin-journal'
      | 'admin-lock-dates'
      | 'admin-trial-balance'
      | 'not-found';
  }
>;

/** The routes that create documents: counted as writes, faults aimed at writes hit them, and an Idempotency-Key replays them. */
export const WRITE_ROUTES: readonly Route['kind'][] = [
  'journals-write',
  'bank-transfers-write',
  'bank-transactions-write',
  'attachments-write',
];

export function respondToApi(
  tenant: XeroTenant,
  route: ApiRoute,
  request: IncomingMessage,
  body: Buffer,
  query: URLSearchParams,
): FakeOutcome {
  const { seed, trackingCategories, envelope } = tenant;
  switch (route.kind) {
    case 'journals-write':
      return idempotent(tenant, request, body, () => writeJournals(tenant, request, body, query));
    case 'bank-transfers-write':
      return idempotent(tenant, request, body, () => writeBankTransfers(tenant, request, body));
    case 'bank-transfers-get':
      return listBankTransfers(tenant, query, route.id);
    case 'bank-transactions-write':
      return idempotent(tenant, request, body, () => writeBankTransactions(tenant, body));
    case 'bank-transactions-get':
      return listBankTransactions(tenant, query, route.id);
    case 'attachments-write':
      return idempotent(tenant, request, body, () =>
        writeAttachment(tenant, route.id, route.fileName, body, headerText(request, 'content-type')),
      );
    case 'attachments-list':
      return listAttachments(tenant, route.id);
    case 'journals-list':
      return listJournals(tenant, query);
    case 'journal-get':
      return getJournal(tenant, route.id);
    case 'organisation':
      return { reply: organisation(tenant), note: 'organisation' };
    case 'accounts':
      return listAccounts(tenant, query);
    case 'tax-rates':
      return { reply: taxRatesReply(tenant), note: 'tax rates' };
    case 'trial-balance':
      return trialBalance(tenant, query);
    case 'tracking-categories': {
      const includeArchived = query.get('includeArchived')?.toLowerCase() === 'true';
      return {
        reply: jsonReply(
          200,
          envelope({ TrackingCategories: renderTrackingCategories(seed, trackingCategories, includeArchived) }),
        ),
        note: 'tracking categories',
      };
    }
    default:
      return assertNever(route);
  }
}

/** A write under an Idempotency-Key: the same key and body replay the first reply; the same key with another body is refused. */
function idempotent(tenant: XeroTenant, request: IncomingMessage, body: Buffer, write: () => FakeOutcome): FakeOutcome {
  const { tenantId, idempotency, replays, problem } = tenant;
  const key = headerText(request, 'idempotency-key');
  if (key !== undefined && key.length > MAX_IDEMPOTENCY_KEY) {
    return {
      reply: problem(400, 'Bad Request', `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`),
      note: 'idempotency key too long',
    };
  }
  const cacheKey = key === undefined ? undefined : `${tenantId}\u0000${key}`;
  const previous = cacheKey === undefined ? undefined : idempotency.replay(cacheKey, body);
  if (key !== undefined && previous) {
    replays.push({ key, sameBody: previous.sameBody });
    // A key names one request; reusing it for another body is a client's mistake, refused as the IETF idempotency draft says (Xero's own wording is not published).
    if (!previous.sameBody)
      return {
        reply: problem(
          422,
          'Unprocessable Entity',
          `The Idempotency-Key ${key} was already used for a different request.`,
        ),
        note: 'idempotency key reused with another body',
      };
    return { reply: previous.reply, note: 'replayed idempotent response' };
  }
  const outcome = write();
  if (cacheKey !== undefined) idempotency.remember(cacheKey, body, outcome.reply);
  return outcome;
}

export function routeOf(method: string, subPath: string): Route {
  if (subPath === '/connect/token') return { kind: 'token' };
  if (subPath === '/identity/connect/authorize' && method === 'GET') return { kind: 'authorize' };
  if (subPath === '/identity/connect/consent' && method === 'GET') return { kind: 'consent' };
  if (subPath === '/connect/revocation' && method === 'POST') return { kind: 'revocation' };
  if (subPath === '/connections' && method === 'GET') return { kind: 'connections' };
  if (subPath === '/__admin/reconcile' && method === 'POST') return { kind: 'admin-reconcile' };
  if (subPath === '/__admin/journal' && method === 'POST') return { kind: 'admin-journal' };
  if (subPath === '/__admin/lock-dates' && method === 'POST') return { kind: 'admin-lock-dates' };
  // The first organisation's trial balance with no token, for a person checking the books by hand with curl.
  if (subPath === '/__admin/trial-balance' && method === 'GET') return { kind: 'admin-trial-balance' };
  const attachments = /^\/api\.xro\/2\.0\/manualjournals\/([^/]+)\/attachments(?:\/([^/]+))?\/?$/i.exec(subPath);
  if (attachments)
    return attachmentRoute(
      method,
      decodeURIComponent(attachments[1] ?? ''),
      attachments[2] === undefined ? undefined : decodeURIComponent(attachments[2]),
    );
  const connection = /^\/connections\/([^/]+)$/.exec(subPath);
  if (connection && method === 'DELETE')
    return { kind: 'connection-delete', id: decodeURIComponent(connection[1] ?? '') };
  const match = /^\/api\.xro\/2\.0\/([^/]+)(?:\/([^/]+))?\/?$/i.exec(subPath);
  if (!match) return { kind: 'not-found' };
  const resource = (match[1] ?? '').toLowerCase();
  const id = match[2];
  if (resource === 'manualjournals') {
    if (id === undefined && (method === 'PUT' || method === 'POST')) return { kind: 'journals-write' };
    if (method === 'GET') return id === undefined ? { kind: 'journals-list' } : { kind: 'journal-get', id };
  }
  if (resource === 'banktransfers' || resource === 'banktransactions') {
    const writeKind = resource === 'banktransfers' ? 'bank-transfers-write' : 'bank-transactions-write';
    if (id === undefined && (method === 'PUT' || method === 'POST')) return { kind: writeKind };
    if (method === 'GET')
      return { kind: resource === 'banktransfers' ? 'bank-transfers-get' : 'bank-transactions-get', id };
  }
  if (method === 'GET' && resource === 'reports' && id?.toLowerCase() === 'trialbalance')
    return { kind: 'trial-balance' };
  if (method === 'GET' && id === undefined) {
    if (resource === 'organisation') return { kind: 'organisation' };
    if (resource === 'accounts') return { kind: 'accounts' };
    if (resource === 'taxrates') return { kind: 'tax-rates' };
    if (resource === 'trackingcategories') return { kind: 'tracking-categories' };
  }
  return { kind: 'not-found' };
}

/** /ManualJournals/{id}/Attachments: GET lists; /…/Attachments/{FileName}: PUT creates, POST updates (the fake keeps one file per name either way). */
function attachmentRoute(method: string, id: string, fileName: string | undefined): Route {
  if (fileName === undefined) return method === 'GET' ? { kind: 'attachments-list', id } : { kind: 'not-found' };
  return method === 'PUT' || method === 'POST' ? { kind: 'attachments-write', id, fileName } : { kind: 'not-found' };
}
