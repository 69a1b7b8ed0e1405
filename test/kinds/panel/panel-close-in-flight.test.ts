import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index.js';
import { createHttpClient } from '../../../src/http/http-client.js';
import { createSystemClock } from '../../../src/http/clock.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/http/retry-policy.js';
import { Ledger } from '../../../src/ledger/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { replayPanelCloses } from '../../../src/kinds/panel/replay-panel.js';
import { rawLanding } from '../../../src/pipeline/landing/index.js';
import { panelProxyLedger, proxySpool } from '../../../src/kinds/panel/proxy/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import { syncPanelClose } from '../../../src/kinds/panel/panel-close.js';
import { startPanelProxy } from '../../../src/kinds/panel/proxy/panel-proxy.js';
import { type PanelSourceConfig } from '../../../src/kinds/panel/panel-config.js';
import { DEFAULT_CHART } from '../../rules/default-chart.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks, type Books } from '../../support/books.js';
import { sandboxPanelSource } from './panel-close-in-process.js';
import { proxyBooks } from '../../../src/kinds/panel/books/proxy-books-store.js';
import { panelReads, type PanelBooksReads } from '../../../src/kinds/panel/books/panel-books.js';
import type { SyncBooks } from '../../../src/pipeline/sync/index.js';
import { syncBooks } from '../../../src/pipeline/sync/index.js';
import { backfillBooks } from '../../../src/pipeline/backfill/index.js';

/**
 * An order placed through the panel proxy while the close reads the panel's balance, both ways, over
 * real HTTP (the sandbox's panel, the proxy in process, a SQLite ledger), each step released by an event:
 *   03-01  opening balance 10.00
 *   03-02  through the proxy, service 1 × 2000 = 1.80 (0.90 per 1000), while the close of 03-02 reads the balance
 *   03-03  nothing new: the panel reports 8.20
 * The balance of 03-02 holds the charge or not, as the race went; either way the books end at 8.20 with
 * 1.80 of expense, and neither night has a finding, suspense or a top-up.
 */
const SCRIPT = { start: '2026-03-01', panel: { openingBalance: '10.00' } };
const SOURCE_ID = 'smm-panel';

const tempDir = useTempDir();
const engines = useLedgerEngines();

describe.each(LEDGER_ENGINES)('an order in flight at the balance read (%s ledger)', { timeout: 30_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let ledgerBooks: Books;
  let proxyStore: Books;
  let ledger: Ledger;
  let source: PanelSourceConfig;
  let proxyUrl: string;
  let closeProxy: () => Promise<void>;

  beforeEach(async () => {
    sandbox = await startSandbox({ script: SCRIPT });
    const location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    ledgerBooks = await openBooks(location);
    proxyStore = await openBooks(location);
    ledger = ledgerBooks.ledger;
    source = sandboxPanelSource(sandbox, tempDir());
    const proxy = await startPanelProxy({
      sourceId: SOURCE_ID,
      url: sandbox.panelUrl,
      apiKey: sandbox.keys.panel,
      ledger: panelProxyLedger(proxyStore.of(proxyBooks), {
        sourceId: SOURCE_ID,
        timezone: 'UTC',
        now: () => new Date(),
        spool: proxySpool(source.proxySpool),
      }),
      host: '127.0.0.1',
      port: 0,
      requestTime: async () => new Date(`${sandbox.today()}T12:00:00Z`),
      clock: () => new Date(),
      logger: silentLogger,
    });
    proxyUrl = proxy.url;
    closeProxy = () => proxy.close();
  });

  afterEach(async () => {
    await closeProxy();
    await proxyStore.close();
    await ledger.close();
    await sandbox.close();
  });

  /**
   * The close of `day` (the sandbox moved to it), real clock. `movedOn` is called once the close, its balance
   * read, next asks the books anything about orders: for those in flight (today) or for those to poll (on main).
   */
  async function closeDay(day: string, movedOn?: () => void): Promise<SourceSyncReport> {
    sandbox.setToday(day);
    const runId = `run:${day}`;
    const clock = createSystemClock();
    const http = createHttpClient({
      service: SOURCE_ID,
      timeoutMs: 20_000,
      retry: DEFAULT_RETRY_POLICY,
      clock,
      redact: (text) => text,
    });
    const land = rawLanding(ledgerBooks.of(syncBooks), { asOf: day, runId, dryRun: false });
    try {
      const books = ledgerBooks.of(syncBooks);
      let told = false;
      const tell = () => {
        if (!told) movedOn?.();
        told = true;
      };
      const panel = books.of(panelReads);
      const watchedPanel: PanelBooksReads = {
        ...panel,
        addsAcrossBalanceRead: (...args) => (tell(), panel.addsAcrossBalanceRead(...args)),
        openOrderHeads: (sourceId) => (tell(), panel.openOrderHeads(sourceId)),
      };
      const watched: SyncBooks = {
        ...books,
        of: (open, ...args) => (open === (panelReads as unknown) ? (watchedPanel as never) : books.of(open, ...args)),
      };
      const context = {
        ledger,
        books: watched,
        chart: DEFAULT_CHART,
        granularity: 'day' as const,
        asOf: day,
        timezone: 'UTC',
        runId,
        dryRun: false,
        now: () => new Date(),
        logger: silentLogger,
      };
      return await syncPanelClose(
        context,
        source,
        { http, clock, onRawReply: land },
        { ordersFiles: [], onOrdersFileProblems: () => undefined, defaultCurrency: 'USD' },
      );
    } finally {
      await http.close();
    }
  }

  const admin = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${sandbox.adminUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(70_000),
      })
    ).json() as Promise<Record<string, unknown>>;
  const hold = (action: string) => admin('POST', '/holds', { service: 'panel', action });
  const held = async (action: string) => (await admin('GET', `/holds/held?service=panel&action=${action}`))['held'];
  const release = (action: string) => admin('POST', '/holds/release', { service: 'panel', action });
  const addThroughProxy = async () => {
    const reply = await fetch(`${proxyUrl}/api/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        key: sandbox.keys.panel,
        action: 'add',
        service: '1',
        link: 'https://instagram.com/p/in-flight',
        quantity: '2000',
      }).toString(),
      signal: AbortSignal.timeout(20_000),
    });
    return ((await reply.json()) as { order?: number }).order;
  };
  const balanceOf = (account: string) => ledger.balanceOf(account, 'USD', { sourceId: SOURCE_ID });
  const books = async () => ({
    prepaid: await balanceOf('panel_prepaid'),
    expense: await balanceOf('smm_services_expense'),
    suspense: await balanceOf('suspense'),
    topups: await balanceOf('topup_clearing'),
  });
  const kinds = (report: SourceSyncReport) => report.findings.map((found) => found.kind);
  /** What a replay of both nights from their stored replies would change: nothing, when it settles the order in flight as the night did. */
  const replayed = async () => {
    const replay = await replayPanelCloses({ books: ledgerBooks.of(backfillBooks), ledger }, source, {
      window: { from: '2026-03-02', to: '2026-03-03' },
      chart: DEFAULT_CHART,
    });
    return { corrections: replay.orderCorrections, rereads: replay.rereads };
  };

  it('the balance reply held in transit while an add is placed and answered: the balance does not hold the charge, so the next close books it', async () => {
    expect(kinds(await closeDay('2026-03-01'))).toEqual([]);
    await hold('balance');
    const night = closeDay('2026-03-02');
    expect(await held('balance')).toBe(true);
    // Answered, and so kept by the proxy, before the close has its balance: the close lists it to poll.
    expect(await addThroughProxy()).toBeDefined();
    await release('balance');
    const report = await night;
    expect([report.outcome, kinds(report)]).toEqual(['booked', []]);
    expect(await books()).toEqual({ prepaid: 10_000_000n, expense: 0n, suspense: 0n, topups: 0n });

    const next = await closeDay('2026-03-03');
    expect(kinds(next)).toEqual([]);
    expect(await books()).toEqual({ prepaid: 8_200_000n, expense: 1_800_000n, suspense: 0n, topups: 0n });
    expect(await replayed()).toEqual({ corrections: [], rereads: [] });
  });

  it('an add held at the panel (charged) while the balance is read and returned before its reply: the balance holds the charge, so tonight books it', async () => {
    expect(kinds(await closeDay('2026-03-01'))).toEqual([]);
    await hold('add');
    sandbox.setToday('2026-03-02');
    const placed = addThroughProxy();
    expect(await held('add')).toBe(true);
    // The add's reply is let go only once the close has the balance (8.20, with the charge) and has moved on.
    let released: Promise<unknown> | undefined;
    const report = await closeDay('2026-03-02', () => {
      released = release('add');
    });
    expect((await released) as unknown).toEqual({ released: true });
    expect(await placed).toBeDefined();
    expect([report.outcome, kinds(report)]).toEqual(['booked', []]);
    expect(await books()).toEqual({ prepaid: 8_200_000n, expense: 1_800_000n, suspense: 0n, topups: 0n });

    const next = await closeDay('2026-03-03');
    expect(kinds(next)).toEqual([]);
    expect(await books()).toEqual({ prepaid: 8_200_000n, expense: 1_800_000n, suspense: 0n, topups: 0n });
  });
});
