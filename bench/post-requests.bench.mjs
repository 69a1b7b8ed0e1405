// Write requests `post` makes for E entries, against the least possible:
// ceil(E/50) createManualJournals calls for Xero, ceil(E/30) /batch calls for
// QuickBooks (ratio 1.00 means no request was wasted or split). The fakes run
// with their limits raised so no 429 muddies the count; the client keeps its
// real pacing on a simulated clock shared with the fake, so "simulated
// minutes" is how long the run would take at the destination's published
// limits (Xero 60 calls a minute, QuickBooks 40 batches a minute).
// Then `reconcile --with` reads the E posted journals back: its read requests
// against ceil(E/100) pages plus one trial balance (the least it can do), and
// whether it finds the books clean.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createQuickbooksClient } from '../dist/src/destinations/quickbooks/quickbooks-client.js';
import { openTokenStore } from '../dist/src/destinations/token-store.js';
import { createXeroClient } from '../dist/src/destinations/xero/xero-client.js';
import { Ledger } from '../dist/src/ledger/index.js';
import { LedgerStore, journalBooksOver } from '../dist/src/store/index.js';
import { postEntries, postOutbox } from '../dist/src/pipeline/post/index.js';
import { tieOut } from '../dist/src/reads/destination-tie-out.js';
import { ledgerReads } from '../dist/src/reads/books/ledger-reads.js';
import { startQuickBooksFake } from '../dist/sandbox/quickbooks/fake.js';
import { startXeroFake } from '../dist/sandbox/xero/fake.js';
import { TINY } from './support/bench-size.mjs';

const SIZES = (process.env.BENCH_POST_ENTRIES ?? (TINY ? '20,40' : '1000,3000')).split(',').map(Number);
const START_MS = Date.UTC(2024, 2, 1, 12, 0, 0);
const REFRESH = 'bench-refresh-token';

function simulatedClock() {
  let now = START_MS;
  return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
}

function entry(index) {
  const micros = BigInt(1_000_000 + (index % 997) * 10_000);
  return {
    id: `je:bench:${String(index).padStart(6, '0')}`,
    date: `2024-02-${String((index % 28) + 1).padStart(2, '0')}`,
    sourceId: 'smm-panel',
    description: `bench entry ${index}`,
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', amountMicros: micros },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -micros },
    ],
  };
}

const DESTINATIONS = {
  xero: {
    perRequest: 50,
    async start(clock) {
      const server = await startXeroFake({ now: clock.now, limits: { perMinute: 1_000_000, perDay: 1_000_000 } });
      return { server, writes: () => server.fake.writeRequestCount(), stored: () => server.fake.journals().length };
    },
    client({ server }, clock, tokenStore) {
      return createXeroClient({
        config: {
          tenantId: server.fake.tenantId,
          clientId: server.fake.clientId,
          clientSecret: server.fake.clientSecret,
          apiUrl: server.apiUrl,
          tokenUrl: server.tokenUrl,
        },
        mapping: { smm_services_expense: { code: '410' }, panel_prepaid: { code: '621' }, rounding: { code: '860' } },
        mappingFile: 'xero.yaml',
        status: 'POSTED',
        tokenStore,
        clock,
        redact: (text) => text,
        onSecrets: () => undefined,
      });
    },
  },
  quickbooks: {
    perRequest: 30,
    async start(clock) {
      const server = await startQuickBooksFake({
        now: clock.now,
        refreshToken: REFRESH,
        limits: { perMinute: 1_000_000, batchPerMinute: 1_000_000 },
      });
      return {
        server,
        writes: () => server.fake.writeRequestCount(),
        stored: () => server.fake.journalEntries().length,
      };
    },
    client({ server }, clock, tokenStore) {
      return createQuickbooksClient({
        config: {
          realmId: server.fake.realmId,
          clientId: server.fake.clientId,
          clientSecret: server.fake.clientSecret,
          refreshToken: REFRESH,
          environment: 'sandbox',
          apiUrl: server.apiUrl,
          tokenUrl: server.tokenUrl,
        },
        mapping: {
          smm_services_expense: { id: '11', name: 'SMM Services' },
          panel_prepaid: { id: '3', name: 'SMM Panel Balance' },
          rounding: { id: '14', name: 'Rounding' },
        },
        mappingFile: 'quickbooks.yaml',
        tokenStore,
        clock,
        redact: (text) => text,
        onSecrets: () => undefined,
      });
    },
  },
};

async function measure(name, entries) {
  const destination = DESTINATIONS[name];
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-post-'));
  const clock = simulatedClock();
  const fake = await destination.start(clock);
  const store = await LedgerStore.open(join(dir, 'ledger.sqlite'));
  try {
    const ledger = new Ledger(journalBooksOver(store));
    await store.unitOfWork(async (tx) => {
      const inUnit = new Ledger(journalBooksOver(tx));
      for (let index = 1; index <= entries; index += 1)
        await inUnit.appendEntry(entry(index), { now: new Date(START_MS) });
    });
    const client = destination.client(fake, clock, openTokenStore(join(dir, 'tokens.json')));
    const started = performance.now();
    const report = await postEntries({ outbox: postOutbox(store, client.kind), ledger, client, clock });
    const wallMs = performance.now() - started;
    await client.close();
    const again = destination.client(fake, clock, openTokenStore(join(dir, 'tokens.json')));
    const second = await postEntries({ outbox: postOutbox(store, again.kind), ledger, client: again, clock });
    const ideal = Math.ceil(entries / destination.perRequest);
    const readClient = destination.client(fake, clock, openTokenStore(join(dir, 'tokens.json')));
    const tie = await tieOut({
      reads: ledgerReads(store),
      client: readClient,
      asOf: '2024-02-29',
    });
    await readClient.close();
    const readIdeal = Math.ceil(entries / 100) + 1;
    return {
      reads: tie.calls.reads,
      readIdeal,
      tieOutClean: tie.clean && tie.checked === entries,
      writes: fake.writes(),
      ideal,
      ratio: (fake.writes() / ideal).toFixed(2),
      exactlyOnce:
        report.posted === entries && fake.stored() === entries && second.posted === 0 && second.calls.writes === 0,
      wallMs: Math.round(wallMs),
      simulatedMinutes: ((clock.now() - START_MS) / 60_000).toFixed(1),
    };
  } finally {
    await store.close();
    await fake.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const metrics = {};
  for (const name of Object.keys(DESTINATIONS)) {
    for (const entries of SIZES) {
      const result = await measure(name, entries);
      const label = `${name} E=${entries}`;
      metrics[`${label}: write requests / ceil(E/${DESTINATIONS[name].perRequest})`] =
        `${result.writes} / ${result.ideal} = ${result.ratio}`;
      metrics[`${label}: every entry held once, second post sends nothing`] = result.exactlyOnce;
      metrics[`${label}: reconcile --with reads / (ceil(E/100) + 1)`] =
        `${result.reads} / ${result.readIdeal} = ${(result.reads / result.readIdeal).toFixed(2)}`;
      metrics[`${label}: reconcile --with finds every posted journal as sent`] = result.tieOutClean;
      metrics[`${label}: wall ms`] = result.wallMs;
      metrics[`${label}: simulated minutes at the published limits`] = result.simulatedMinutes;
    }
  }
  return { name: 'post-requests', metrics };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
