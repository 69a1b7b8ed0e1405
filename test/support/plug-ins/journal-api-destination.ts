import { createHash } from 'node:crypto';
import { z } from 'zod';
import { configFields, type Config } from '../../../src/config/index.js';
import type { DestinationClient, RemoteLine } from '../../../src/destinations/index.js';
import type { RemoteJournal } from '../../../src/destinations/destination-client.js';
import {
  deliveredConversion,
  entryConversion,
  baseCents,
  sumByAccount,
} from '../../../src/destinations/entry-conversion.js';
import { journalNarration, chainWitness } from '../../../src/destinations/journal-narration.js';
import { createOAuthTransport, type OAuthTransport } from '../../../src/destinations/oauth-transport.js';
import { InvalidReplyError, UpstreamError } from '../../../src/errors.js';
import { readJson, readWire } from '../../../src/http/index.js';
import { formatCents, parseMicros } from '../../../src/money/index.js';
import type { DestinationKind } from '../../../src/pipeline/kinds/index.js';
import type { RenderedEntry } from '../../../src/rules/index.js';

/**
 * A destination kind with an API that lives in the tests alone (`journal-api`, served by journal-api-fake.ts): journals
 * posted through a small JSON API with an OAuth app, exactly once (each create carries an idempotency key, and a
 * journal's reference is its entry id, so a post whose answer was lost finds what arrived), read back for
 * `reconcile --with`, connected by `ledgerline connect journal-api`. Its accounts are the chart's own keys, so it
 * brings no mapping file. use-journal-api.ts registers it in one line.
 */
const SUBJECT = { destination: 'journal-api', service: 'Journal API', holds: 'ledger' };

/** `destinations.journal-api` in ledgerline.yaml: the API root, the app's keys and its OAuth endpoints. */
const journalApiSection = z.strictObject({
  apiUrl: configFields.httpUrl,
  authorizeUrl: configFields.httpUrl,
  tokenUrl: configFields.httpUrl,
  revokeUrl: configFields.httpUrl,
  clientId: configFields.text,
  clientSecret: configFields.secret,
  /** A refresh token pasted from elsewhere; `ledgerline connect journal-api` puts one in the token store instead. */
  refreshToken: configFields.secret.optional(),
  redirectUri: configFields.httpUrl.optional(),
});
type JournalApiSection = z.output<typeof journalApiSection>;

function sectionOf(config: Config): JournalApiSection | undefined {
  const section = config.destinations['journal-api'];
  return section === undefined ? undefined : (section as JournalApiSection);
}

const Amount = z.string().regex(/^-?\d+(\.\d{1,2})?$/);
const HeldSchema = z.object({
  journals: z.array(
    z.object({
      id: z.string().min(1),
      reference: z.string(),
      narration: z.string(),
      lines: z.array(z.object({ account: z.string(), amount: Amount })),
    }),
  ),
});
const CreatedSchema = z.object({ journals: z.array(z.object({ reference: z.string(), id: z.string().min(1) })) });
const BalancesSchema = z.object({ balances: z.array(z.object({ account: z.string(), balance: Amount })) });

/** A reply read by its schema, or refused naming what was asked. */
async function readReply<T>(
  transport: OAuthTransport,
  what: string,
  url: string,
  schema: z.ZodType<T>,
  body?: unknown,
) {
  const reply = await transport.call({
    method: body === undefined ? 'GET' : 'POST',
    url,
    what,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (reply.status !== 200 && reply.status !== 201)
    throw new UpstreamError(SUBJECT.service, `${what} answered HTTP ${reply.status}`, reply.status);
  const json = readJson(reply.bodyText);
  const wire = json.ok ? readWire(schema, json.value) : json;
  if (!wire.ok) throw new InvalidReplyError(SUBJECT.service, what, wire.reason);
  return wire.value;
}

const cents = (amount: string): bigint => parseMicros(amount) / 10_000n;

function createJournalApiClient(
  config: Config,
  section: JournalApiSection,
  deps: Parameters<NonNullable<DestinationKind['api']>['createClient']>[2],
): DestinationClient {
  const transport = createOAuthTransport({
    ...deps,
    subject: SUBJECT,
    endpoint: { tokenUrl: section.tokenUrl, clientId: section.clientId, clientSecret: section.clientSecret },
    configRefreshToken: section.refreshToken,
  });
  const api = section.apiUrl.replace(/\/+$/, '');
  const base = config.currency;
  const conversion = (entry: RenderedEntry) => entryConversion(SUBJECT.service, entry, base, deps.rates);
  const held = async (query: string): Promise<z.output<typeof HeldSchema>['journals']> =>
    (await readReply(transport, 'reading journals', `${api}/journals?${query}`, HeldSchema)).journals;
  return {
    kind: SUBJECT.destination,
    name: SUBJECT.service,
    baseCurrency: base,
    limits: { entriesPerRequest: 20, maxInFlight: 1, requestsPerMinute: 600 },
    check: () => undefined,
    lockDate: async () => undefined,
    async organisation() {
      const organisation = await readReply(
        transport,
        'reading the organisation',
        `${api}/organisation`,
        z.object({ name: z.string(), currency: z.string() }),
      );
      return {
        checks: (expected) => [
          {
            kind: 'currency',
            status: organisation.currency === expected.currency ? 'pass' : 'fail',
            subject: 'base currency',
            detail: `${organisation.name} keeps its books in ${organisation.currency}`,
          },
        ],
      };
    },
    refreshToken: () => transport.tokens.refresh(),
    async findPosted(entries) {
      if (entries.length === 0) return new Map();
      const found = await held(`reference=${entries.map((entry) => encodeURIComponent(entry.id)).join(',')}`);
      return new Map(found.map((journal) => [journal.reference, journal.id]));
    },
    async send(entries, requestKey) {
      const journals = entries.map((entry) => {
        const amounts = baseCents(entry, conversion(entry));
        return {
          reference: entry.id,
          date: entry.date,
          narration: journalNarration(entry),
          lines: entry.lines.map((line, at) => ({ account: line.account, amount: formatCents(amounts[at]!) })),
        };
      });
      const reply = await transport.call({
        method: 'POST',
        url: `${api}/journals`,
        what: `creating ${entries.length} journal(s)`,
        headers: { 'idempotency-key': requestKey },
        body: JSON.stringify({ journals }),
      });
      if (reply.status !== 201)
        throw new UpstreamError(SUBJECT.service, `creating journals answered HTTP ${reply.status}`, reply.status);
      const json = readJson(reply.bodyText);
      const created = json.ok ? readWire(CreatedSchema, json.value) : json;
      if (!created.ok) throw new InvalidReplyError(SUBJECT.service, 'the created journals', created.reason);
      return new Map(
        created.value.journals.map((journal) => [
          journal.reference,
          { status: 'posted' as const, remoteId: journal.id },
        ]),
      );
    },
    requestKey: (entries, attempt) =>
      createHash('sha256')
        .update(`${entries.map((entry) => entry.id).join('\n')}#${attempt}`)
        .digest('hex')
        .slice(0, 32),
    conversion,
    expectedLines(entry, delivery) {
      const amounts = baseCents(entry, deliveredConversion(entry, base, delivery));
      const lines: RemoteLine[] = entry.lines.map((line, at) => ({ account: line.account, cents: amounts[at]! }));
      return { journal: sumByAccount(lines), base: sumByAccount(lines), currency: base };
    },
    async readBack(remoteIds) {
      const read = new Map<string, RemoteJournal>();
      for (let start = 0; start < remoteIds.length; start += 100)
        for (const journal of await held(`id=${remoteIds.slice(start, start + 100).join(',')}`))
          read.set(journal.id, {
            state: 'present',
            lines: sumByAccount(journal.lines.map((line) => ({ account: line.account, cents: cents(line.amount) }))),
            witness: chainWitness(journal.narration),
          });
      return read;
    },
    async balances(asOf) {
      const { balances } = await readReply(
        transport,
        'reading balances',
        `${api}/balances?asOf=${asOf}`,
        BalancesSchema,
      );
      return new Map(balances.map((row) => [row.account, cents(row.balance)]));
    },
    callCounts: () => transport.counts(),
    close: async () => undefined,
  };
}

export const journalApiDestination: DestinationKind = {
  name: 'journal-api',
  config: { kind: 'journal-api', sectionSchema: journalApiSection },
  api: {
    service: SUBJECT.service,
    appVendor: 'Journal API',
    async createClient(config, _mappings, dependencies) {
      const section = sectionOf(config);
      if (section === undefined)
        throw new Error('destinations.journal-api is checked by the configuration before a post');
      return createJournalApiClient(config, section, dependencies);
    },
    async consent(config) {
      const section = sectionOf(config);
      if (section === undefined) return undefined;
      return {
        destination: SUBJECT.destination,
        service: SUBJECT.service,
        clientId: section.clientId,
        clientSecret: section.clientSecret,
        authorizeUrl: section.authorizeUrl,
        tokenUrl: section.tokenUrl,
        revokeUrl: section.revokeUrl,
        scopes: ['journals'],
        ...(section.redirectUri === undefined ? {} : { redirectUri: section.redirectUri }),
        ...(section.refreshToken === undefined ? {} : { configRefreshToken: section.refreshToken }),
      };
    },
    describeConnection: (connection) => `ledger (connected ${connection.connectedAt})`,
    connectionSetup: (config) => {
      const section = sectionOf(config);
      return section === undefined
        ? undefined
        : { ...SUBJECT, configRefreshToken: section.refreshToken, customConnection: false };
    },
    createsBankDocuments: () => false,
    production: {
      section: '  journal-api:\n    apiUrl: https://journals.example/api\n',
      variables: ['JOURNAL_API_CLIENT_SECRET'],
      redirect:
        'register http://localhost:5110/callback as the app redirect URI, then run `ledgerline connect journal-api`',
    },
  },
};
