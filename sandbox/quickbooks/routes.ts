import type { IncomingMessage } from 'node:http';
import { assertNever } from '../../src/rules/index.js';
import type { Outcome, QuickBooksCompany } from './company.js';
import { objectNotFound, validation } from './faults.js';
import { createEntry, runBatch } from './journals.js';
import { QueryRefused, queryResponse } from './queries.js';
import { renderAccount, renderEntry } from './render.js';
import { preferences, trialBalance } from './reports.js';
import { bankRequest, bankResourceOf, type BankResource } from './bank-routes.js';
import { uploadAttachable } from './attachables.js';

/** The requests that create: counted as writes, hit by faults aimed at writes, replayed under a requestid. */
export function isWriteRoute(route: Route): boolean {
  return (
    route.kind === 'company' &&
    (route.resource.kind === 'entry-create' ||
      route.resource.kind === 'batch' ||
      route.resource.kind === 'bank-create' ||
      route.resource.kind === 'upload')
  );
}

/** Intuit's paths, and the dispatch of a request under /v3/company/{realmId}/ to the module that answers it. */

export type Route =
  | { kind: 'token' }
  | { kind: 'revoke' }
  | { kind: 'authorize' }
  | { kind: 'consent' }
  | { kind: 'user-info' }
  | { kind: 'company'; realmId: string; resource: CompanyResource }
  | { kind: 'admin-clear' }
  | { kind: 'admin-journal' }
  | { kind: 'admin-close-date' }
  | { kind: 'admin-trial-balance' }
  | { kind: 'not-found' };

export type CompanyResource =
  | { kind: 'entry-create' }
  | { kind: 'entry-get'; id: string }
  | { kind: 'batch' }
  | { kind: 'query' }
  | { kind: 'preferences' }
  | { kind: 'account-get'; id: string }
  | { kind: 'company-info'; id: string }
  | { kind: 'trial-balance' }
  | { kind: 'upload' }
  | BankResource
  | { kind: 'unsupported'; name: string };

export function companyRequest(
  company: QuickBooksCompany,
  resource: CompanyResource,
  request: IncomingMessage,
  body: Buffer,
  query: URLSearchParams,
): Outcome {
  const requestId = query.get('requestid') ?? undefined;
  switch (resource.kind) {
    case 'entry-create':
      return entryCreate(company, body, query, requestId);
    case 'batch':
      return runBatch(company, body, requestId);
    case 'entry-get':
      return entryRead(company, resource.id);
    case 'account-get':
      return accountRead(company, resource.id);
    case 'query':
      return queryRequest(company, request.method === 'POST' ? body.toString('utf8') : (query.get('query') ?? ''));
    case 'preferences':
      return { reply: preferences(company), note: 'preferences', committed: false };
    case 'upload':
      return uploadAttachable(company, request.headers['content-type'], body);
    case 'trial-balance':
      return {
        reply: trialBalance(company, query.get('end_date') ?? company.today()),
        note: 'trial balance',
        committed: false,
      };
    case 'company-info':
      return companyInfo(company);
    case 'bank-create':
    case 'bank-get':
    case 'transaction-list':
      return bankRequest(company, resource, body, query);
    case 'unsupported':
      return unsupported(company, `${request.method ?? ''} ${resource.name}`, `unsupported ${resource.name}`);
    default:
      return assertNever(resource);
  }
}

/** Intuit's ValidationFault 500 for what the fake does not play, with the operation named as Intuit names it. */
function unsupported(company: QuickBooksCompany, operation: string, note: string): Outcome {
  const fault = validation('500', 'Unsupported Operation', `Operation ${operation} is not supported.`, '');
  return { reply: company.faultReply(400, fault), note, committed: false };
}

function entryCreate(
  company: QuickBooksCompany,
  body: Buffer,
  query: URLSearchParams,
  requestId: string | undefined,
): Outcome {
  // The same URL updates, deletes and voids with ?operation=…; the fake only creates.
  const operation = query.get('operation');
  if (operation !== null && operation !== 'create')
    return unsupported(company, operation, `unsupported operation ${operation}`);
  return createEntry(company, body, requestId);
}

function entryRead(company: QuickBooksCompany, id: string): Outcome {
  const entry = company.entries.find((candidate) => candidate.id === id);
  if (!entry) return { reply: company.faultReply(400, objectNotFound(id)), note: 'no such entry', committed: false };
  return {
    reply: company.reply(200, { JournalEntry: renderEntry(company, entry), time: company.time() }),
    note: `read entry ${entry.id}`,
    committed: false,
  };
}

function accountRead(company: QuickBooksCompany, id: string): Outcome {
  const account = company.accounts.find((candidate) => candidate.id === id);
  if (!account)
    return { reply: company.faultReply(400, objectNotFound(id)), note: 'no such account', committed: false };
  return {
    reply: company.reply(200, { Account: renderAccount(company, account), time: company.time() }),
    note: `read account ${account.id}`,
    committed: false,
  };
}

function queryRequest(company: QuickBooksCompany, text: string): Outcome {
  const { reply, time } = company;
  try {
    return {
      reply: reply(200, { ...queryResponse(company, text, false), time: time() }),
      note: 'query',
      committed: false,
    };
  } catch (error) {
    if (error instanceof QueryRefused)
      return { reply: reply(400, { Fault: error.fault, time: time() }), note: 'bad query', committed: false };
    throw error;
  }
}

function companyInfo(company: QuickBooksCompany): Outcome {
  const { realmId, country, companyName, reply, time } = company;
  return {
    reply: reply(200, {
      CompanyInfo: {
        CompanyName: companyName,
        LegalName: companyName,
        Country: country,
        domain: 'QBO',
        sparse: false,
        Id: realmId,
        SyncToken: '0',
      },
      time: time(),
    }),
    note: 'company info',
    committed: false,
  };
}

export function routeOf(method: string, subPath: string): Route {
  if (subPath === '/oauth2/v1/tokens/bearer') return { kind: 'token' };
  if (subPath === '/v2/oauth2/tokens/revoke' && method === 'POST') return { kind: 'revoke' };
  if (subPath === '/connect/oauth2' && method === 'GET') return { kind: 'authorize' };
  if (subPath === '/connect/oauth2/consent' && method === 'GET') return { kind: 'consent' };
  if (subPath === '/v1/openid_connect/userinfo' && method === 'GET') return { kind: 'user-info' };
  if (subPath === '/__admin/clear' && method === 'POST') return { kind: 'admin-clear' };
  if (subPath === '/__admin/journal' && method === 'POST') return { kind: 'admin-journal' };
  if (subPath === '/__admin/close-date' && method === 'POST') return { kind: 'admin-close-date' };
  // The first company's trial balance with no token, for a person checking the books by hand with curl.
  if (subPath === '/__admin/trial-balance' && method === 'GET') return { kind: 'admin-trial-balance' };
  // Intuit's URIs are case-sensitive: /v3/company/{realmId}/journalentry, lower case.
  const match = /^\/v3\/company\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(subPath);
  if (!match) return { kind: 'not-found' };
  const [, realmId = '', name = '', id] = match;
  const company = (resource: CompanyResource): Route => ({ kind: 'company', realmId, resource });
  if (name === 'journalentry' && id === undefined && method === 'POST') return company({ kind: 'entry-create' });
  if (name === 'journalentry' && id !== undefined && method === 'GET') return company({ kind: 'entry-get', id });
  if (name === 'batch' && id === undefined && method === 'POST') return company({ kind: 'batch' });
  if (name === 'query' && id === undefined && (method === 'GET' || method === 'POST'))
    return company({ kind: 'query' });
  if (name === 'preferences' && id === undefined && method === 'GET') return company({ kind: 'preferences' });
  if (name === 'account' && id !== undefined && method === 'GET') return company({ kind: 'account-get', id });
  if (name === 'companyinfo' && id !== undefined && method === 'GET') return company({ kind: 'company-info', id });
  if (name === 'reports' && id === 'TrialBalance' && method === 'GET') return company({ kind: 'trial-balance' });
  if (name === 'upload' && id === undefined && method === 'POST') return company({ kind: 'upload' });
  const bank = bankResourceOf(method, name, id);
  if (bank) return company(bank);
  return company({ kind: 'unsupported', name });
}
