import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { Conversion, DestinationLimits } from '../destination-client.js';
import type { DestinationClientOptions } from '../destination-client-options.js';
import type { TokenStore } from '../token-store.js';
import { QUICKBOOKS_BATCH_MAX_ITEMS, type QuickbooksAccount } from './quickbooks-payload.js';
import type { QuickbooksCompanyFacts } from './quickbooks-organisation-checks.js';
import { quickbooksRequestRejected } from './quickbooks-faults.js';
import { quickbooksWholeFault, readQuickbooksReply } from './quickbooks-replies.js';
import type { QuickbooksTaxCodeFact, QuickbooksTaxSetup } from './quickbooks-tax.js';
import { createQuickbooksTransport, type QuickbooksRequest, type QuickbooksTransport } from './quickbooks-transport.js';
import type { QuickBooksDestinationConfig } from './quickbooks-config.js';

/** The API host roots; `apiUrl` in the configuration replaces both. */
export const QUICKBOOKS_API_URLS = {
  production: 'https://quickbooks.api.intuit.com',
  sandbox: 'https://sandbox-quickbooks.api.intuit.com',
} as const;

/** From 1 August 2025 Intuit ignores minor versions below 75; asking for it keeps replies as tested. */
export const QUICKBOOKS_MINOR_VERSION = '75';

/** Per company (Intuit's limits and throttles page): 500 calls a minute, 40 batch calls a minute, 30 items a batch, 10 at once. */
export const QUICKBOOKS_LIMITS: DestinationLimits = {
  entriesPerRequest: QUICKBOOKS_BATCH_MAX_ITEMS,
  maxInFlight: 5,
  requestsPerMinute: 500,
  writesPerMinute: 40,
};

/** Intuit's limits (QUICKBOOKS_LIMITS) unless `limits` says otherwise. */
export interface QuickbooksClientOptions extends DestinationClientOptions<
  QuickBooksDestinationConfig,
  QuickbooksAccount
> {
  /** quickbooks.yaml's `tax:` flows and `untaxedCode` (issue 54); without them no line carries a tax code. */
  tax?: QuickbooksTaxSetup | undefined;
}

/** The company `ledgerline connect quickbooks` chose (the realmId of its callback), else the configuration's. */
function connectedRealm(store: TokenStore, configured: string | undefined): string {
  const realmId = store.read('quickbooks')?.connection?.realmId ?? configured;
  if (realmId === undefined) {
    throw new ConfigError([
      {
        file: store.path,
        path: 'destinations.quickbooks.realmId',
        message: 'no company is connected: run `ledgerline connect quickbooks` (or set realmId in the configuration)',
      },
    ]);
  }
  return realmId;
}

/** One client's company and what it learnt of it: the close date, the mapping with ids, the batch size QuickBooks takes. */
export interface QuickbooksSession {
  options: QuickbooksClientOptions;
  transport: QuickbooksTransport;
  realmId: string;
  /** The company's API root: …/v3/company/{realmId}. */
  company: string;
  conversion: (entry: RenderedEntry) => Conversion | undefined;
  bookCloseDate: string | undefined;
  /** The mapping as sent: after organisation(), with every class, location, customer and vendor named by its id. */
  mapping: QuickbooksClientOptions['mapping'];
  /** The batch size QuickBooks takes: the configured one until a batch is refused for its size, then what the refusal names (or half). */
  batchSize: number;
  companyFacts: Promise<QuickbooksCompanyFacts> | undefined;
  /** The company's tax codes, once read, for a non-US company and a mapping with a tax section: lines are coded only then. */
  taxCodes: readonly QuickbooksTaxCodeFact[] | undefined;
}

/** The company's API root: …/v3/company/{realmId}, under `apiUrl` when the configuration names one. */
function companyRoot(config: QuickBooksDestinationConfig, realmId: string): string {
  return `${config.apiUrl ?? QUICKBOOKS_API_URLS[config.environment]}/v3/company/${encodeURIComponent(realmId)}`;
}

/** A client's session: the connected company, its transport within `limits`, nothing learnt of it yet. */
export function openQuickbooksSession(
  options: QuickbooksClientOptions,
  limits: DestinationLimits,
  conversion: QuickbooksSession['conversion'],
): QuickbooksSession {
  return {
    ...quickbooksReaderFor(options, limits),
    conversion,
    bookCloseDate: undefined,
    mapping: options.mapping,
    batchSize: limits.entriesPerRequest,
    companyFacts: undefined,
    taxCodes: undefined,
  };
}

/** What a read needs of a session: the transport, the company's API root and the redaction. */
export type QuickbooksReader = Pick<QuickbooksSession, 'transport' | 'realmId' | 'company' | 'options'>;

/** The connected company, its transport within `limits` and its API root: a session's start, or a client of its own beside it. */
export function quickbooksReaderFor(
  options: QuickbooksClientOptions,
  limits: DestinationLimits = { ...QUICKBOOKS_LIMITS, ...options.limits },
): QuickbooksReader {
  const realmId = connectedRealm(options.tokenStore, options.config.realmId);
  return {
    options,
    transport: createQuickbooksTransport(options, limits, realmId),
    realmId,
    company: companyRoot(options.config, realmId),
  };
}

/** A call whose reply must be HTTP 200 without a Fault, read as `schema`. */
export async function answerOf<S extends z.ZodType>(
  session: QuickbooksReader,
  what: string,
  request: QuickbooksRequest,
  schema: S,
): Promise<z.output<S>> {
  const reply = await session.transport.call(what, request);
  const fault = quickbooksWholeFault(reply.bodyText);
  if (reply.status !== 200 || fault) throw quickbooksRequestRejected(what, reply.status, fault, session.options.redact);
  return readQuickbooksReply(reply.bodyText, schema, what);
}

/** A GET whose reply must be HTTP 200 without a Fault, read as `schema`. */
export function read<S extends z.ZodType>(
  session: QuickbooksReader,
  what: string,
  url: string,
  schema: S,
): Promise<z.output<S>> {
  return answerOf(session, what, { method: 'GET', url }, schema);
}

export function queryUrl(session: Pick<QuickbooksSession, 'company'>, query: string): string {
  return `${session.company}/query?query=${encodeURIComponent(query)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;
}

/** A text literal of QuickBooks' query language: 'O\'Brien Ltd'. */
export function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
