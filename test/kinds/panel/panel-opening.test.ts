import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index.js';
import { landingBooks, webhookInbox } from '../../../src/pipeline/landing/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import type { PanelSourceConfig } from '../../../src/kinds/panel/panel-config.js';
import { panelOrderUpdateFormat } from '../../../src/kinds/panel/panel-order-update.js';
import { outcomeRecord, proxySpool, requestRecord } from '../../../src/kinds/panel/proxy/proxy-spool.js';
import { LEDGER_ENGINES, rowCountsAndChainHead, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks, type Books } from '../../support/books.js';
import { closePanelDay, sandboxPanelSource } from './panel-close-in-process.js';

/**
 * A panel's opening is its first chunks (the proxy's spool, the orders file, the webhooks' orders), and a dry
 * run is the same path without the units: it learns the same orders, so it polls and books what the real run
 * then books, and writes nothing. Service 1 costs 0.90 per 1000, so on 03-02 each of three orders is learned
 * one way only and charged:
 *   F-1 1000 → 0.90, named by the night's orders file;
 *   W-1  500 → 0.45, named by a stored webhook;
 *   P-1  200 → 0.18, placed through the panel proxy, which kept its add in the spool (the ledger was busy).
 *   03-01 opening balance 100.00; 03-02 balance 100.00 − 1.53 = 98.47, every fall explained by a charge.
 * Before this, a dry run did not read the spool: P-1's 0.18 was an unexplained fall in it, not in the real run.
 */
const SCRIPT = {
  start: '2026-03-01',
  panel: {
    openingBalance: '100.00',
    orders: [
      { id: 'F-1', service: '1', quantity: 1000, placedOn: '2026-03-02' },
      { id: 'W-1', service: '1', quantity: 500, placedOn: '2026-03-02' },
      { id: 'P-1', service: '1', quantity: 200, placedOn: '2026-03-02' },
    ],
  },
};

const tempDir = useTempDir();
const engines = useLedgerEngines();
const now = new Date('2026-03-03T02:30:00Z');

describe.each(LEDGER_ENGINES)('a panel opening rehearsed with --dry-run (%s ledger)', { timeout: 60_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let location: string;
  let opened: Books;
  let source: PanelSourceConfig;

  beforeEach(async () => {
    sandbox = await startSandbox({ script: SCRIPT });
    location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    opened = await openBooks(location);
    source = sandboxPanelSource(sandbox, tempDir());
  });

  afterEach(async () => {
    await opened.close();
    await sandbox.close();
  });

  /** The night's orders file, naming only the orders in `named`. */
  async function ordersFile(day: string, named: string[]): Promise<string> {
    const csv = await (
      await fetch(`${sandbox.adminUrl}/orders.csv?date=${day}`, { signal: AbortSignal.timeout(5000) })
    ).text();
    const [header = '', ...rows] = csv.split('\n');
    const path = join(tempDir(), `orders-${day}.csv`);
    writeFileSync(path, [header, ...rows.filter((row) => named.some((id) => row.startsWith(`${id},`)))].join('\n'));
    return path;
  }

  async function closeDay(day: string, ordersFiles: string[], dryRun = false): Promise<SourceSyncReport> {
    sandbox.setToday(day);
    return closePanelDay(opened, source, { day, ordersFiles, dryRun, now });
  }

  /** P-1's add, kept in the spool: its request, then its outcome with the panel's reply. */
  async function spoolP1(): Promise<void> {
    const spool = proxySpool(source.proxySpool);
    const requestedAt = '2026-03-02T17:25:48.120Z';
    const request = {
      requestId: 'req-p1',
      sourceId: source.id,
      service: '1',
      quantity: 200n,
      requestedAt,
      receivedAt: requestedAt,
      keptVia: 'spool' as const,
    };
    await spool.append(requestRecord(request));
    await spool.append(
      outcomeRecord(request.requestId, {
        outcome: 'placed',
        orderId: 'P-1',
        httpStatus: 200,
        detail: null,
        answeredAt: '2026-03-02T17:25:49.000Z',
        reply: {
          request: '{"action":"add","service":"1","quantity":200}',
          fetchedAt: requestedAt,
          body: '{"order":"P-1"}',
        },
      }),
    );
  }

  const bookings = (report: SourceSyncReport) => ({
    outcome: report.outcome,
    events: report.events,
    polled: report.polled,
    entries: report.entries,
    findings: report.findings.map((found) => [found.kind, found.amountMicros]),
  });

  it('learns the spooled, filed and webhooked orders as the real run does, books what it then books, and writes nothing', async () => {
    expect((await closeDay('2026-03-01', [await ordersFile('2026-03-01', [])])).outcome).toBe('booked');
    const file = await ordersFile('2026-03-02', ['F-1']);
    await webhookInbox(opened.of(landingBooks)).record({
      sourceId: source.id,
      kind: 'panel',
      format: panelOrderUpdateFormat,
      receivedAt: new Date('2026-03-02T18:00:00Z'),
      body: Buffer.from('{"order_id": "W-1", "status": "In progress", "remains": 500, "charge": 0.45}'),
    });
    await spoolP1();
    const before = await rowCountsAndChainHead(location);

    const rehearsed = await closeDay('2026-03-02', [file], true);
    expect(await rowCountsAndChainHead(location)).toEqual(before);
    // Three charges, each explaining its part of the fall: nothing unexplained.
    expect(bookings(rehearsed)).toMatchObject({ outcome: 'booked', events: 3, polled: 3, findings: [] });

    const booked = await closeDay('2026-03-02', [file]);
    expect(bookings(booked)).toEqual(bookings(rehearsed));
    expect(await opened.ledger.balanceOf('panel_prepaid', 'USD', { sourceId: source.id })).toBe(98_470_000n);
    const after = await rowCountsAndChainHead(location);
    // The real run registered the three orders, imported the spool's request and outcome, and booked the charges.
    expect(after.counts['orders']! - before.counts['orders']!).toBe(3);
    expect(after.counts['add_requests']! - before.counts['add_requests']!).toBe(1);
    expect(after.counts['add_outcomes']! - before.counts['add_outcomes']!).toBe(1);
    expect(after.head).not.toBe(before.head);
  });

  it('stops at an orders file gone since the check before the run, naming it, as the run stops at one the check finds gone', async () => {
    const gone = join(tempDir(), 'orders-gone.csv');
    const stopped = await closeDay('2026-03-01', [gone]).then(
      () => 'booked',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(stopped).toBe(`ConfigError: configuration error: ${gone}: no such file`);
  });
});
