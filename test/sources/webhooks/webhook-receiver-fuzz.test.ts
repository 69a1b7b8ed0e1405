import { Agent } from 'node:http';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookLogFields } from '../../../src/sources/webhooks/index.js';
import { panelOrderUpdateFormat } from '../../../src/kinds/panel/panel-order-update.js';
import { conversionWebhookFormat } from '../../../src/kinds/payelancer/conversion-webhook.js';

const FORMATS = { payelancer: conversionWebhookFormat, panel: panelOrderUpdateFormat } as const;
type WebhookSourceKind = keyof typeof FORMATS;
const interpretWebhook = (kind: WebhookSourceKind, body: string) => FORMATS[kind].read(body);
import { webhookInbox } from '../../../src/pipeline/landing/webhook-inbox.js';
import { deliver, signWebhookBody, type Answer } from './webhook-sender.js';
import { soakOr } from '../../support/soak.js';
import { landingBooksInMemory } from '../../support/landing-books-double.js';

const SECRET = 'fuzz-secret-51a7';
const MAX_BODY_BYTES = 64 * 1024;
// 300 in `npm test`, 1,200 in `npm run soak` (which CI runs after it): the same seed, so the first 300 are the soak's first 300.
const REQUESTS = soakOr(300, 1_200);
const CONCURRENCY = 12;
const SOURCES: Record<string, WebhookSourceKind> = { 'ads-publisher': 'payelancer', 'smm-panel': 'panel' };

type Signing = 'good' | 'bad' | 'none';

interface FuzzCase {
  sourceId: string;
  body: Buffer;
  signing: Signing;
  /** A body built to be valid, untouched: it must be stored as an event. */
  pristine: boolean;
}

/** Placeholders replaced after JSON.stringify by literals it cannot write: huge, exponent, over-precise numbers. */
const RAW_LITERALS = [
  `1${'0'.repeat(400)}`,
  '1e400',
  '-1E-7',
  '0.0000001',
  '123456789012345678901234567890.5',
  '-0',
  '9007199254740993',
];

const idText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).filter((text) => text.trim() !== ''),
  fc.nat({ max: 1e9 }),
);
const amountLiteral = fc
  .tuple(fc.nat({ max: 100_000 }), fc.nat({ max: 999_999 }), fc.boolean())
  .map(([whole, fraction, quoted]) => {
    const text = `${whole}.${String(fraction).padStart(6, '0')}`;
    return quoted ? JSON.stringify(text) : text;
  });
const timestamp = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const validConversion = fc
  .record({ campaign: idText, ad: idText, payout: amountLiteral, timestamp })
  .map(
    ({ campaign, ad, payout, timestamp: at }) =>
      `{"event": "conversion.tracked", "data": {"campaign_id": ${JSON.stringify(campaign)}, "ad_id": ${JSON.stringify(ad)}, "payout": ${payout}, "timestamp": "${at}"}}`,
  );
const validOrderUpdate = fc
  .record({
    order: idText,
    status: fc.constantFrom('Pending', 'In progress', 'Partial', 'Completed', 'Canceled', 'Cancelled', 'Refunded'),
    remains: fc.option(
      fc.oneof(
        fc.nat({ max: 5000 }).map(String),
        fc.nat({ max: 50 }).map((n) => `"+${n}"`),
        fc.nat({ max: 50 }).map((n) => `-${n}`),
      ),
    ),
    charge: amountLiteral,
  })
  .map(
    ({ order, status, remains, charge }) =>
      `{"order_id": ${JSON.stringify(order)}, "status": "${status}", ${remains === null ? '' : `"remains": ${remains}, `}"start_count": 8421, "charge": ${charge}}`,
  );
const validFor = (kind: WebhookSourceKind) => (kind === 'payelancer' ? validConversion : validOrderUpdate);

/** A valid body changed one way: a field dropped or replaced by anything, cut short, or a byte changed. */
function mutated(kind: WebhookSourceKind): fc.Arbitrary<string | Buffer> {
  const weirdValue = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(...RAW_LITERALS.map((_, index) => `__RAW_${index}__`)),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  return fc.oneof(
    fc.tuple(validFor(kind), fc.nat(), weirdValue, fc.boolean()).map(([text, pick, value, remove]) => {
      const body = JSON.parse(text) as Record<string, unknown>;
      const target = kind === 'payelancer' && pick % 3 !== 0 ? (body.data as Record<string, unknown>) : body;
      const keys = Object.keys(target);
      const key = keys[pick % keys.length]!;
      if (remove) delete target[key];
      else target[key] = value;
      return JSON.stringify(body).replace(/"__RAW_(\d)__"/g, (_, index: string) => RAW_LITERALS[Number(index)]!);
    }),
    fc.tuple(validFor(kind), fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)),
    fc.tuple(validFor(kind), fc.nat(), fc.nat({ max: 255 })).map(([text, at, byte]) => {
      const bytes = Buffer.from(text);
      bytes[at % bytes.length] = byte;
      return bytes;
    }),
  );
}

const nested = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean())
  .map(([depth, objects]) =>
    objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );
const oversized = fc
  .integer({ min: 1, max: 4096 })
  .map((extra) => `{"pad": "${'x'.repeat(MAX_BODY_BYTES + extra - 11)}"}`);

function bodyFor(kind: WebhookSourceKind): fc.Arbitrary<{ body: string | Buffer | Uint8Array; pristine: boolean }> {
  const as = (pristine: boolean) => (body: string | Buffer | Uint8Array) => ({ body, pristine });
  return fc.oneof(
    { weight: 6, arbitrary: validFor(kind).map(as(true)) },
    { weight: 8, arbitrary: mutated(kind).map(as(false)) },
    { weight: 2, arbitrary: validFor(kind === 'payelancer' ? 'panel' : 'payelancer').map(as(false)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map(as(false)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }).map(as(false)) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => as(false)(JSON.stringify(value) ?? '')) },
    { weight: 1, arbitrary: nested.map(as(false)) },
    { weight: 1, arbitrary: oversized.map(as(false)) },
  );
}

const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(
      ...Object.keys(SOURCES),
      ...Object.keys(SOURCES),
      ...Object.keys(SOURCES),
      ...Object.keys(SOURCES),
      'no-such-source',
    ),
    fc.constantFrom<Signing>(...Array<Signing>(18).fill('good'), 'bad', 'none'),
  )
  .chain(([sourceId, signing]) =>
    bodyFor(SOURCES[sourceId] ?? 'panel').map(({ body, pristine }) => ({
      sourceId,
      signing,
      body: Buffer.from(body),
      pristine,
    })),
  );

function generateCases(): FuzzCase[] {
  const cases = fc.sample(fuzzCase, { seed: 20_260_314, numRuns: REQUESTS });
  // Every tenth request resends an earlier one, often while it is still in flight.
  return cases.map((item, index) => (index % 10 === 9 ? { ...cases[index - 3]! } : item));
}

function decodedText(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return undefined;
  }
}

it(`survives ${REQUESTS} random and mutated bodies: every request answered 2xx/4xx with a reason, every acceptable body kept`, async () => {
  // The landing in memory: the receiver under fire is the subject; the inbox's SQL is test/store/landing-books-contract's.
  const landing = landingBooksInMemory();
  const errors: string[] = [];
  const receiver = await startWebhookReceiver({
    inbox: webhookInbox(landing),
    sources: Object.entries(SOURCES).map(([id, kind]) => ({ id, kind, format: FORMATS[kind] })),
    auth: { mode: 'hmac', secret: SECRET },
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: MAX_BODY_BYTES,
    clock: () => new Date('2026-03-14T08:30:00Z'),
    logger: {
      info: () => undefined,
      warn: () => undefined,
      error: (message: string, fields?: WebhookLogFields) => void errors.push(`${message} ${JSON.stringify(fields)}`),
    },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const cases = generateCases();
  const answers: Answer[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const index = next++;
      const item = cases[index]!;
      const signature = {
        good: signWebhookBody(SECRET, item.body),
        bad: signWebhookBody('wrong', item.body),
        none: undefined,
      }[item.signing];
      answers[index] = await deliver(`${receiver.url}/webhooks/${item.sourceId}`, {
        body: item.body,
        agent,
        headers: signature === undefined ? {} : { 'X-Ledgerline-Signature': signature },
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const expectedStatus = cases.map((item) => {
      if (!(item.sourceId in SOURCES)) return '401';
      if (item.body.length > MAX_BODY_BYTES) return '413';
      if (item.signing !== 'good') return '401';
      if (item.pristine) return '200';
      const text = decodedText(item.body);
      return text !== undefined && interpretWebhook(SOURCES[item.sourceId]!, text).ok ? '200' : '400';
    });
    expect(answers.map((answer) => String(answer.status))).toEqual(expectedStatus);
    const reasonless = answers.filter((answer) => {
      const json = answer.json as { ok?: unknown; id?: unknown; error?: unknown } | undefined;
      return answer.status === 200
        ? !(json?.ok === true && typeof json.id === 'number')
        : !(json?.ok === false && typeof json.error === 'string' && json.error !== '');
    });
    expect(reasonless).toEqual([]);
    expect(errors).toEqual([]);

    const rows = landing.deliveries.map((row) => ({
      id: row.id,
      source_id: row.sourceId,
      status: row.status,
      body: row.body,
      note: row.note,
    }));
    const rowById = new Map(rows.map((row) => [Number(row.id), row]));
    const storedIds = new Set<number>();
    const invalidBodies = new Set<string>();
    cases.forEach((item, index) => {
      const answer = answers[index]!;
      if (answer.status === 200) {
        const { id, duplicate } = answer.json as { id: number; duplicate: boolean };
        storedIds.add(id);
        expect(rowById.get(id)).toMatchObject({ source_id: item.sourceId, status: 'stored' });
        if (!duplicate) expect(rowById.get(id)?.body).toBe(decodedText(item.body));
      }
      if (answer.status === 400) {
        const text = decodedText(item.body);
        const kept = text ?? item.body.toString('base64');
        invalidBodies.add(`${item.sourceId}\u0000${kept}`);
        expect(
          rows.some((row) => row.source_id === item.sourceId && row.status === 'invalid' && row.body === kept),
        ).toBe(true);
      }
    });
    // None lost, none extra: one row per distinct stored event plus one per distinct unreadable body.
    expect(rows.length).toBe(storedIds.size + invalidBodies.size);
    const quarantined = landing.quarantined.map((row) => Number(row.webhookId));
    expect(quarantined.sort((a, b) => a - b)).toEqual(
      rows.filter((row) => row.status === 'invalid').map((row) => Number(row.id)),
    );
    expect(new Set(expectedStatus)).toEqual(new Set(['200', '400', '401', '413']));

    expect((await deliver(`${receiver.url}/healthz`, { method: 'GET', agent })).status).toBe(200);
  } finally {
    agent.destroy();
    await receiver.close();
  }
});
