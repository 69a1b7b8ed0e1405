import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  startWebhookReceiver,
  type WebhookAuth,
  type WebhookLogFields,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from '../../../src/sources/webhooks/index.js';
import { panelOrderUpdateFormat } from '../../../src/kinds/panel/panel-order-update.js';
import { conversionWebhookFormat } from '../../../src/kinds/payelancer/conversion-webhook.js';
import { storedPanelUpdates } from '../../../src/kinds/panel/panel-close.js';
import { storedConversions } from '../../../src/kinds/payelancer/stored-conversions.js';
import { landingBooks, webhookInbox } from '../../../src/pipeline/landing/index.js';
import { useTempDir } from '../../support/temp-dir.js';
import { deliver, rawExchange, signWebhookBody } from './webhook-sender.js';
import { openBooks } from '../../support/books.js';
import { queryTables } from '../../support/ledger-tables.js';
import { landingBooksInMemory } from '../../support/landing-books-double.js';
import type { LandingBooks } from '../../../src/pipeline/landing/books/landing-books.js';
import type { WebhookInboxTables } from '../../../src/pipeline/landing/books/webhook-inbox-rows.js';

const tempDir = useTempDir();
const TOKEN = 'tok-9f2c1e7a55d04b1f';
const SECRET = 'hmac-secret-3b9d0c8e';
const RECEIVED_AT = new Date('2026-03-14T08:30:00Z');

const CONVERSION =
  '{"event": "conversion.tracked", "data": {"campaign_id": "982734A", "ad_id": "459021B", "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"}}';
const ORDER_UPDATE = '{"order_id": 1487, "status": "Completed", "remains": 0, "start_count": 8421, "charge": 4.5}';

interface LogLine {
  level: string;
  message: string;
  fields: WebhookLogFields | undefined;
}

interface Harness {
  receiver: WebhookReceiver;
  /** The landing's port: in memory, or over a SQLite ledger for the tests whose subject is the ledger file. */
  landing: LandingBooks;
  closeLedger(): Promise<void>;
  logs: LogLine[];
  /** URL of a source's endpoint with the right credentials for the auth mode (path token included). */
  endpoint(sourceId: string): string;
  inbox(): Promise<
    {
      id: bigint;
      source_id: string;
      kind: string;
      status: string;
      body: string;
      note: string | null;
      received_at: string;
    }[]
  >;
  quarantine(): Promise<{ source_id: string; webhook_id: bigint | null; reason: string; as_of: string }[]>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

type InboxRows = Awaited<ReturnType<Harness['inbox']>>;
type QuarantineRows = Awaited<ReturnType<Harness['quarantine']>>;

/** The landing in memory (test/support/landing-books-double.ts): the receiver's answers and what it keeps are the subject. */
function inMemory(): Pick<Harness, 'landing' | 'closeLedger' | 'inbox' | 'quarantine'> {
  const landing = landingBooksInMemory();
  return {
    landing,
    closeLedger: async () => undefined,
    inbox: async (): Promise<InboxRows> =>
      landing.deliveries.map((row) => ({
        id: row.id,
        source_id: row.sourceId,
        kind: row.kind,
        status: row.status,
        body: row.body,
        note: row.note,
        received_at: row.receivedAt,
      })),
    quarantine: async (): Promise<QuarantineRows> =>
      landing.quarantined.map((row) => ({
        source_id: row.sourceId,
        webhook_id: row.webhookId,
        reason: row.reason,
        as_of: row.asOf,
      })),
  };
}

/** A SQLite ledger at `dbPath`, for the tests of the file itself (committed before the answer, shared, unwritable). */
async function onDisk(dbPath: string): Promise<Pick<Harness, 'landing' | 'closeLedger' | 'inbox' | 'quarantine'>> {
  const ledgerBooks = await openBooks(dbPath);
  let closed = false;
  open.push(async () => void (closed || (await ledgerBooks.close())));
  return {
    landing: ledgerBooks.of(landingBooks),
    closeLedger: async () => {
      closed = true;
      await ledgerBooks.close();
    },
    inbox: () =>
      queryTables(ledgerBooks, (db) =>
        db
          .withTables<WebhookInboxTables>()
          .selectFrom('webhook_inbox')
          .select(['id', 'source_id', 'kind', 'status', 'body', 'note', 'received_at'])
          .orderBy('id'),
      ),
    quarantine: () =>
      queryTables(ledgerBooks, (db) =>
        db.selectFrom('quarantine').select(['source_id', 'webhook_id', 'reason', 'as_of']).orderBy('id'),
      ),
  };
}

async function startHarness(
  auth: WebhookAuth,
  extra: Partial<WebhookReceiverOptions> = {},
  dbPath?: string,
): Promise<Harness> {
  const books = dbPath === undefined ? inMemory() : await onDisk(dbPath);
  const logs: LogLine[] = [];
  const log = (level: string) => (message: string, fields?: WebhookLogFields) =>
    void logs.push({ level, message, fields });
  const receiver = await startWebhookReceiver({
    inbox: webhookInbox(books.landing),
    sources: [
      { id: 'ads-publisher', kind: 'payelancer', format: conversionWebhookFormat },
      { id: 'smm-panel', kind: 'panel', format: panelOrderUpdateFormat },
    ],
    auth,
    host: '127.0.0.1',
    port: 0,
    clock: () => RECEIVED_AT,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    ...extra,
  });
  open.push(() => receiver.close());
  return {
    ...books,
    receiver,
    logs,
    endpoint: (sourceId) => `${receiver.url}/webhooks/${sourceId}${auth.mode === 'path-token' ? `/${auth.token}` : ''}`,
  };
}

const pathToken: WebhookAuth = { mode: 'path-token', token: TOKEN };
const hmac: WebhookAuth = { mode: 'hmac', secret: SECRET };

describe('webhook receiver: authentication', () => {
  it('booksOpen a conversion posted with the right path token and answers with its inbox id', async () => {
    const harness = await startHarness(pathToken);
    const answer = await deliver(harness.endpoint('ads-publisher'), { body: CONVERSION });
    expect(answer).toMatchObject({ status: 200, json: { ok: true, id: 1, duplicate: false } });
    expect(await harness.inbox()).toEqual([
      {
        id: 1n,
        source_id: 'ads-publisher',
        kind: 'payelancer',
        status: 'stored',
        body: CONVERSION,
        note: null,
        received_at: '2026-03-14T08:30:00.000Z',
      },
    ]);
  });

  it('refuses a wrong or missing path token with 401, booksOpen nothing and logs neither token nor body', async () => {
    const harness = await startHarness(pathToken);
    const wrong = await deliver(`${harness.receiver.url}/webhooks/ads-publisher/not-the-token`, { body: CONVERSION });
    const missing = await deliver(`${harness.receiver.url}/webhooks/ads-publisher`, { body: CONVERSION });
    const almost = await deliver(`${harness.receiver.url}/webhooks/ads-publisher/${TOKEN}x`, { body: CONVERSION });
    for (const answer of [wrong, missing, almost])
      expect(answer).toMatchObject({ status: 401, json: { ok: false, error: 'not authenticated' } });
    expect(await harness.inbox()).toEqual([]);
    const refusals = harness.logs.filter((line) => line.level === 'warn');
    expect(refusals.map((line) => line.message)).toEqual(
      Array(3).fill('webhook refused: not authenticated (unknown source or wrong token)'),
    );
    const logged = JSON.stringify(harness.logs);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('not-the-token');
    expect(logged).not.toContain('982734A');
  });

  it('refuses an unknown source id with 401 even with the right token', async () => {
    const harness = await startHarness(pathToken);
    const answer = await deliver(harness.endpoint('someone-else'), { body: CONVERSION });
    expect(answer).toMatchObject({ status: 401, json: { ok: false, error: 'not authenticated' } });
    expect(await harness.inbox()).toEqual([]);
  });

  it('accepts a body signed with HMAC-SHA256 of its raw bytes', async () => {
    const harness = await startHarness(hmac);
    const answer = await deliver(harness.endpoint('smm-panel'), {
      body: ORDER_UPDATE,
      headers: { 'X-Ledgerline-Signature': signWebhookBody(SECRET, ORDER_UPDATE) },
    });
    expect(answer).toMatchObject({ status: 200, json: { ok: true, id: 1, duplicate: false } });
    expect((await harness.inbox()).map((row) => [row.source_id, row.kind, row.status, row.body])).toEqual([
      ['smm-panel', 'panel', 'stored', ORDER_UPDATE],
    ]);
  });

  it('refuses a missing, malformed, wrong-key or other-body signature with 401 and booksOpen nothing', async () => {
    const harness = await startHarness(hmac);
    const url = harness.endpoint('smm-panel');
    const signatures: (string | undefined)[] = [
      undefined,
      'sha256=xyz',
      signWebhookBody(SECRET, ORDER_UPDATE).replace('sha256=', ''),
      signWebhookBody('another-secret', ORDER_UPDATE),
      signWebhookBody(SECRET, `${ORDER_UPDATE} `),
    ];
    for (const signature of signatures) {
      const answer = await deliver(url, {
        body: ORDER_UPDATE,
        headers: signature === undefined ? {} : { 'X-Ledgerline-Signature': signature },
      });
      expect(answer).toMatchObject({ status: 401, json: { ok: false, error: 'not authenticated' } });
    }
    const tokenInPath = await deliver(`${url}/${SECRET}`, {
      body: ORDER_UPDATE,
      headers: { 'X-Ledgerline-Signature': signWebhookBody(SECRET, ORDER_UPDATE) },
    });
    expect(tokenInPath.status).toBe(401);
    expect(await harness.inbox()).toEqual([]);
    expect(JSON.stringify(harness.logs)).not.toContain(SECRET);
  });

  it('reads the signature from a configured header instead', async () => {
    const harness = await startHarness({ mode: 'hmac', secret: SECRET, header: 'X-Panel-Signature' });
    const signature = signWebhookBody(SECRET, ORDER_UPDATE);
    expect(
      (
        await deliver(harness.endpoint('smm-panel'), {
          body: ORDER_UPDATE,
          headers: { 'X-Ledgerline-Signature': signature },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await deliver(harness.endpoint('smm-panel'), {
          body: ORDER_UPDATE,
          headers: { 'X-Panel-Signature': signature },
        })
      ).status,
    ).toBe(200);
  });
});

describe('webhook receiver: storing before answering', () => {
  it('has the row committed (seen from another connection) when the 200 arrives', async () => {
    const dbPath = join(tempDir(), 'ledger.sqlite');
    const harness = await startHarness(pathToken, {}, dbPath);
    const reader = new Database(dbPath, { readonly: true });
    let rowsWhenAnswered: unknown[] = [];
    const answer = await deliver(harness.endpoint('ads-publisher'), {
      body: CONVERSION,
      onHeaders: () => {
        rowsWhenAnswered = reader.prepare('SELECT id, status, body FROM webhook_inbox').all();
      },
    });
    reader.close();
    expect(answer.status).toBe(200);
    expect(rowsWhenAnswered).toEqual([{ id: 1, status: 'stored', body: CONVERSION }]);
  });

  it('tolerates a wrong content type when the body is JSON', async () => {
    const harness = await startHarness(pathToken);
    const answer = await deliver(harness.endpoint('ads-publisher'), {
      body: CONVERSION,
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer).toMatchObject({ status: 200, json: { ok: true, id: 1, duplicate: false } });
  });

  it('answers 500 when the ledger cannot be written, logs it, and keeps serving', async () => {
    const harness = await startHarness(pathToken, {}, join(tempDir(), 'ledger.sqlite'));
    await harness.closeLedger();
    const answer = await deliver(harness.endpoint('ads-publisher'), { body: CONVERSION });
    expect(answer).toMatchObject({
      status: 500,
      json: { ok: false, error: 'internal error: the webhook was not stored; send it again later' },
    });
    expect(harness.logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'webhook receiver failed on a request; nothing was acknowledged',
    ]);
    expect((await deliver(`${harness.receiver.url}/healthz`, { method: 'GET' })).status).toBe(200);
  });
});

describe('webhook receiver: duplicates', () => {
  it('acknowledges a resent conversion as a duplicate with the first id, even spelled differently, and booksOpen it once', async () => {
    const harness = await startHarness(pathToken);
    const respelled =
      '{"data": {"ad_id": "459021B", "campaign_id": "982734A", "timestamp": "2026-03-13T22:55:00+02:00", "payout": "1.250"}, "event": "conversion.tracked"}';
    const first = await deliver(harness.endpoint('ads-publisher'), { body: CONVERSION });
    const again = await deliver(harness.endpoint('ads-publisher'), { body: CONVERSION });
    const other = await deliver(harness.endpoint('ads-publisher'), { body: respelled });
    expect([first.json, again.json, other.json]).toEqual([
      { ok: true, id: 1, duplicate: false },
      { ok: true, id: 1, duplicate: true },
      { ok: true, id: 1, duplicate: true },
    ]);
    expect(await harness.inbox()).toHaveLength(1);
  });

  it('acknowledges a conversion resent with its payout written "0.4100000" as a duplicate, and it is counted once', async () => {
    const harness = await startHarness(pathToken);
    const conversion = (payout: string) =>
      `{"event": "conversion.tracked", "data": {"campaign_id": "982734A", "ad_id": "459021B", "payout": ${payout}, "timestamp": "2026-03-13T20:55:00Z"}}`;
    const answers = [];
    for (const payout of ['0.41', '"0.4100000"', '0.4100000', '4.1e-1'])
      answers.push(await deliver(harness.endpoint('ads-publisher'), { body: conversion(payout) }));
    expect(answers.map((answer) => [answer.status, answer.json])).toEqual([
      [200, { ok: true, id: 1, duplicate: false }],
      ...Array(3).fill([200, { ok: true, id: 1, duplicate: true }]),
    ]);
    expect(await harness.quarantine()).toEqual([]);
    const { conversions, unreadable } = await storedConversions(harness.landing, {
      sourceId: 'ads-publisher',
    });
    expect([conversions.map((row) => row.payoutMicros), unreadable]).toEqual([[410_000n], []]);
  });

  it('booksOpen a panel charge finer than a micro-unit rounded, its body as received, and its resend as a duplicate', async () => {
    const harness = await startHarness(pathToken);
    const body = '{"order_id": 1487, "status": "Partial", "remains": 120, "charge": 0.0435789}';
    const answers = [
      await deliver(harness.endpoint('smm-panel'), { body }),
      await deliver(harness.endpoint('smm-panel'), { body: body.replace('0.0435789', '"0.04357890"') }),
    ];
    expect(answers.map((answer) => answer.json)).toEqual([
      { ok: true, id: 1, duplicate: false },
      { ok: true, id: 1, duplicate: true },
    ]);
    expect((await harness.inbox()).map((row) => row.body)).toEqual([body]);
    expect(
      (await storedPanelUpdates(harness.landing, { sourceId: 'smm-panel' })).updates.map(
        (update) => update.chargeMicros,
      ),
    ).toEqual([43_579n]);
  });

  it('booksOpen a panel order update again only when its state changed', async () => {
    const harness = await startHarness(pathToken);
    const url = harness.endpoint('smm-panel');
    const states = [
      '{"order_id": "1487", "status": "In progress", "remains": 300, "charge": "4.50"}',
      '{"order_id": 1487, "status": "In progress", "remains": "300", "charge": 4.5}',
      '{"order_id": 1487, "status": "Partial", "remains": 120, "charge": 4.5}',
      '{"order_id": 1487, "status": "Partial", "remains": 120, "charge": 2.7}',
      '{"order_id": 1487, "status": "Partial", "remains": 120, "charge": 2.7, "start_count": 9000}',
    ];
    const answers: { ok: boolean; id: number; duplicate: boolean }[] = [];
    for (const body of states)
      answers.push((await deliver(url, { body })).json as { ok: boolean; id: number; duplicate: boolean });
    expect(answers.map((answer) => answer.duplicate)).toEqual([false, true, false, false, true]);
    const [first, resent, partial, lowerCharge, startCountOnly] = answers.map((answer) => answer.id);
    expect([resent, startCountOnly]).toEqual([first, lowerCharge]);
    expect(new Set([first, partial, lowerCharge]).size).toBe(3);
    expect((await harness.inbox()).map((row) => row.body)).toEqual([states[0], states[2], states[3]]);
  });

  it('keeps the same event apart for two sources', async () => {
    const harness = await startHarness(pathToken, {
      sources: [
        { id: 'panel-a', kind: 'panel', format: panelOrderUpdateFormat },
        { id: 'panel-b', kind: 'panel', format: panelOrderUpdateFormat },
      ],
    });
    const a = await deliver(harness.endpoint('panel-a'), { body: ORDER_UPDATE });
    const b = await deliver(harness.endpoint('panel-b'), { body: ORDER_UPDATE });
    expect([a.json, b.json]).toEqual([
      { ok: true, id: 1, duplicate: false },
      { ok: true, id: 2, duplicate: false },
    ]);
  });

  it('booksOpen twenty identical concurrent posts once', async () => {
    const harness = await startHarness(pathToken, {}, join(tempDir(), 'ledger.sqlite'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => deliver(harness.endpoint('smm-panel'), { body: ORDER_UPDATE })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const payloads = answers.map((answer) => answer.json as { id: number; duplicate: boolean });
    expect(payloads.filter((payload) => !payload.duplicate)).toHaveLength(1);
    expect(new Set(payloads.map((payload) => payload.id))).toEqual(new Set([1]));
    expect(await harness.inbox()).toHaveLength(1);
  });

  it('booksOpen an event once when two receivers on the same ledger get it at the same time', async () => {
    const dbPath = join(tempDir(), 'shared.sqlite');
    const first = await startHarness(pathToken, {}, dbPath);
    const second = await startHarness(pathToken, {}, dbPath);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        deliver((index % 2 === 0 ? first : second).endpoint('ads-publisher'), { body: CONVERSION }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((answer) => (answer.json as { duplicate: boolean }).duplicate === false)).toHaveLength(1);
    expect(await first.inbox()).toHaveLength(1);
  });
});

describe('webhook receiver: bodies it cannot read', () => {
  it('answers malformed JSON with 400 and keeps the body as invalid with a quarantine row', async () => {
    const harness = await startHarness(pathToken);
    const body = '{"order_id": 1487, "status": "Completed", "charge": 4.5';
    const answer = await deliver(harness.endpoint('smm-panel'), { body });
    expect(answer).toMatchObject({
      status: 400,
      json: {
        ok: false,
        error: 'the body is not JSON (it starts "{\\"order_id\\": 1487, \\"status\\": \\"Completed\\"")',
      },
    });
    expect(await harness.inbox()).toEqual([
      {
        id: 1n,
        source_id: 'smm-panel',
        kind: 'panel',
        status: 'invalid',
        body,
        note: 'the body is not JSON (it starts "{\\"order_id\\": 1487, \\"status\\": \\"Completed\\"")',
        received_at: '2026-03-14T08:30:00.000Z',
      },
    ]);
    expect(await harness.quarantine()).toEqual([
      {
        source_id: 'smm-panel',
        webhook_id: 1n,
        reason:
          'webhook body refused: the body is not JSON (it starts "{\\"order_id\\": 1487, \\"status\\": \\"Completed\\"")',
        as_of: '2026-03-14',
      },
    ]);
  });

  it('names every wrong field in the 400 and quarantines a schema-invalid body once however often it is sent', async () => {
    const harness = await startHarness(pathToken);
    const body =
      '{"event": "conversion.tracked", "data": {"campaign_id": "982734A", "payout": 1.2345678, "timestamp": "2026-03-13"}}';
    const reason =
      'data.ad_id: missing; data.payout: expected a decimal amount, got text "1.2345678" (more than 6 decimal places); ' +
      'data.timestamp: expected an ISO 8601 date-time such as "2026-03-13T20:55:00Z", got text "2026-03-13"';
    const answers = [
      await deliver(harness.endpoint('ads-publisher'), { body }),
      await deliver(harness.endpoint('ads-publisher'), { body }),
    ];
    expect(answers.map((answer) => [answer.status, answer.json])).toEqual(
      Array(2).fill([400, { ok: false, error: reason }]),
    );
    expect((await harness.inbox()).map((row) => [row.status, row.body, row.note])).toEqual([['invalid', body, reason]]);
    expect(await harness.quarantine()).toEqual([
      { source_id: 'ads-publisher', webhook_id: 1n, reason: `webhook body refused: ${reason}`, as_of: '2026-03-14' },
    ]);
  });

  it('refuses an event other than conversion.tracked as invalid, for now', async () => {
    const harness = await startHarness(pathToken);
    const body = CONVERSION.replace('conversion.tracked', 'click.tracked');
    const answer = await deliver(harness.endpoint('ads-publisher'), { body });
    expect(answer.json).toEqual({
      ok: false,
      error: 'event: expected "conversion.tracked" (the only event accepted), got text "click.tracked"',
    });
  });

  it('keeps a body that is not UTF-8 byte for byte, base64-encoded', async () => {
    const harness = await startHarness(pathToken);
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const answer = await deliver(harness.endpoint('smm-panel'), { body: bytes });
    expect(answer).toMatchObject({ status: 400, json: { ok: false, error: 'the body is not UTF-8 text' } });
    expect(
      (await harness.inbox()).map((row) => [row.status, Buffer.from(row.body, 'base64').equals(bytes), row.note]),
    ).toEqual([['invalid', true, 'the body is not UTF-8 text; stored base64-encoded']]);
    expect(await harness.quarantine()).toHaveLength(1);
  });

  it('keeps an empty body too', async () => {
    const harness = await startHarness(pathToken);
    const answer = await deliver(harness.endpoint('smm-panel'), { body: '' });
    expect(answer.json).toEqual({ ok: false, error: 'the body is empty' });
    expect((await harness.inbox()).map((row) => [row.status, row.body])).toEqual([['invalid', '']]);
  });
});

describe('webhook receiver: size limit, methods and paths', () => {
  it('accepts a body of exactly the limit and refuses one byte more with 413, storing nothing', async () => {
    const harness = await startHarness(pathToken, { maxBodyBytes: 1024 });
    const atLimit = ORDER_UPDATE.replace('}', `, "pad": "${'x'.repeat(1024 - ORDER_UPDATE.length - 11)}"}`);
    expect(Buffer.byteLength(atLimit)).toBe(1024);
    const overLimit = atLimit.replace('"pad": "', '"pad": "y');
    const accepted = await deliver(harness.endpoint('smm-panel'), { body: atLimit });
    const refused = await deliver(harness.endpoint('smm-panel'), { body: overLimit });
    expect(accepted.status).toBe(200);
    expect(refused).toMatchObject({
      status: 413,
      json: { ok: false, error: 'the body is larger than 1024 bytes' },
      headers: { connection: 'close' },
    });
    expect((await harness.inbox()).map((row) => row.body)).toEqual([atLimit]);
    expect(
      harness.logs.filter((line) => line.level === 'warn').map((line) => [line.message, line.fields?.declaredBytes]),
    ).toEqual([['webhook refused: body too large', 1025]]);
  });

  it('refuses a streamed body without Content-Length as soon as it passes the limit', async () => {
    const harness = await startHarness(pathToken, { maxBodyBytes: 1024 });
    const answer = await deliver(harness.endpoint('smm-panel'), {
      body: `{"pad": "${'z'.repeat(200_000)}"}`,
      chunked: true,
    });
    expect(answer).toMatchObject({ status: 413, json: { ok: false, error: 'the body is larger than 1024 bytes' } });
    expect(await harness.inbox()).toEqual([]);
  });

  it('answers a declared gigabyte with 413 at once and closes without reading it', async () => {
    const harness = await startHarness(pathToken, { maxBodyBytes: 1024 });
    const head = `POST /webhooks/smm-panel/${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n`;
    expect(await rawExchange(harness.receiver.url, head, '{"order_id": ')).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await harness.inbox()).toEqual([]);
  });

  it('drops an upload the sender abandons halfway without storing anything, and keeps serving', async () => {
    const harness = await startHarness(pathToken);
    const { hostname, port } = new URL(harness.receiver.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /webhooks/smm-panel/${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"order_id": 14`,
    );
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    socket.destroy();
    for (
      let attempt = 0;
      attempt < 4_000 && harness.logs.every((line) => !line.message.startsWith('webhook dropped'));
      attempt += 1
    ) {
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
    }
    expect(harness.logs.map((line) => line.message)).toContain(
      'webhook dropped: the sender went away before the body was complete',
    );
    expect(await harness.inbox()).toEqual([]);
    expect((await deliver(harness.endpoint('smm-panel'), { body: ORDER_UPDATE })).status).toBe(200);
  });

  it('answers other methods with 405, unknown paths with 404 and /healthz with 200', async () => {
    const harness = await startHarness(pathToken);
    const get = await deliver(harness.endpoint('smm-panel'), { method: 'GET' });
    const put = await deliver(harness.endpoint('smm-panel'), { method: 'PUT', body: ORDER_UPDATE });
    const elsewhere = await deliver(`${harness.receiver.url}/hooks/smm-panel/${TOKEN}`, { body: ORDER_UPDATE });
    const tooDeep = await deliver(`${harness.endpoint('smm-panel')}/extra`, { body: ORDER_UPDATE });
    const health = await deliver(`${harness.receiver.url}/healthz`, { method: 'GET' });
    expect([get, put, elsewhere, tooDeep, health].map((answer) => [answer.status, answer.json])).toEqual([
      [405, { ok: false, error: 'only POST is accepted' }],
      [405, { ok: false, error: 'only POST is accepted' }],
      [404, { ok: false, error: 'no such endpoint: webhooks are POSTed to /webhooks/<source id>' }],
      [404, { ok: false, error: 'no such endpoint: webhooks are POSTed to /webhooks/<source id>' }],
      [200, { ok: true }],
    ]);
    expect(get.headers.allow).toBe('POST');
    expect(await harness.inbox()).toEqual([]);
  });
});

describe('webhook receiver: options', () => {
  it('refuses to start without a secret, with a duplicated source or an unusable limit, naming every problem', async () => {
    const start = startWebhookReceiver({
      inbox: webhookInbox(landingBooksInMemory()),
      sources: [
        { id: 'smm-panel', kind: 'panel', format: panelOrderUpdateFormat },
        { id: 'smm-panel', kind: 'panel', format: panelOrderUpdateFormat },
      ],
      auth: { mode: 'path-token', token: '' },
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 0,
      clock: () => RECEIVED_AT,
    });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toMatchObject({
      problems: [
        { file: 'webhook receiver', path: 'sources[1].id', message: 'source id "smm-panel" is listed twice' },
        { file: 'webhook receiver', path: 'auth.token', message: 'the token is empty' },
        { file: 'webhook receiver', path: 'maxBodyBytes', message: 'expected a whole number of bytes above 0' },
      ],
    });
  });
});
