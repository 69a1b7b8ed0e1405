import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { postgresInSoak } from '../support/soak.js';
import {
  booksAt,
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  writeOrdersFile,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

const engines = useLedgerEngines();

/** The days whose re-run is also compared through `export --format generic`: the payout day and the last. */
const EXPORTED_DAYS = new Set(['2026-03-31', '2026-04-02']);

interface DayRerun {
  first: CliResult;
  again: CliResult;
  booksBefore: Record<string, unknown[]>;
  booksAfter: Record<string, unknown[]>;
  rawBefore: number;
  rawAfter: number;
  exportBefore?: string;
  exportAfter?: string;
}

/**
 * SQLite in npm test, PostgreSQL in the soak (docs/testing.md): a re-run's refusal, its replay and what a later re-run
 * or backfill books are the pipeline's rules over the closes; that a PostgreSQL ledger books these nights as SQLite
 * does is month-end-postgres.test.ts's, in npm test.
 */
describe.each(postgresInSoak(LEDGER_ENGINES))('re-running a sync (%s ledger)', { timeout: 60_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const reruns = new Map<string, DayRerun>();

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, `rerun-${engine}`, { ledger: () => engines.fresh(engine) });
    for (const day of DAYS) {
      await setSandboxDay(sandbox, day);
      const first = await workspace.syncDay(day);
      const booksBefore = await booksAt(workspace.ledger);
      const rawBefore = await readBooks(workspace.ledger, (ledger) => ledger.count('raw_observations'));
      const exportBefore = EXPORTED_DAYS.has(day) ? await workspace.exportGeneric() : undefined;
      const again = await workspace.syncDay(day);
      const exportAfter = EXPORTED_DAYS.has(day) ? await workspace.exportGeneric() : undefined;
      reruns.set(day, {
        first,
        again,
        booksBefore,
        booksAfter: await booksAt(workspace.ledger),
        rawBefore,
        rawAfter: await readBooks(workspace.ledger, (ledger) => ledger.count('raw_observations')),
        ...(exportBefore === undefined ? {} : { exportBefore }),
        ...(exportAfter === undefined ? {} : { exportAfter }),
      });
    }
  }, 180_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('books something on every day the first time (so "nothing changed" below is not vacuous)', () => {
    const entriesPerDay = DAYS.map((day) => {
      const rerun = reruns.get(day)!;
      // 04-01's top-up of 20.00 is a balance rise for a person to look at (exit 1); the other first closes are quiet.
      expect(rerun.first.code, `${day}: ${rerun.first.stderr}`).toBe(day === '2026-04-01' ? 1 : 0);
      return (rerun.booksBefore.journal_entries as { date: string }[]).filter((entry) => entry.date === day).length;
    });
    // 03-29 opening balance; 03-30 three sources; 03-31 panel and publisher (earnings + payout); 04-01 panel; 04-02 both ad sources.
    expect(entriesPerDay).toEqual([1, 3, 2, 1, 2]);
  });

  it.each(DAYS)('re-running the latest day (%s) takes a new snapshot and writes nothing', (day) => {
    const rerun = reruns.get(day)!;
    expect(rerun.again.code, rerun.again.stderr).toBe(0);
    expect(rerun.again.stdout).toBe(
      `sync as of ${day}\n  ads-publisher: nothing booked\n  smm-panel: nothing booked, ${polledOn(day)} orders polled\n  ads-advertiser: nothing booked\n`,
    );
    expect(rerun.rawAfter).toBeGreaterThan(rerun.rawBefore);
    expect(rerun.booksAfter).toEqual(rerun.booksBefore);
  });

  it('exports byte-identical CSV before and after a re-run', () => {
    for (const day of EXPORTED_DAYS) {
      const rerun = reruns.get(day)!;
      expect(rerun.exportBefore).toContain(`,${day},`);
      expect(rerun.exportAfter).toBe(rerun.exportBefore);
    }
  });

  it('re-running the whole window day by day refuses every day before the latest close (exit 2, pointing to --from/--to) and changes nothing', async () => {
    const last = DAYS[DAYS.length - 1]!;
    const booksBefore = await booksAt(workspace.ledger);
    const exportBefore = await workspace.exportGeneric();
    const rawBefore = await readBooks(workspace.ledger, (ledger) => ledger.count('raw_observations'));
    const outcomes: Record<string, { code: number | null; pointsToWindow: boolean }> = {};
    for (const day of DAYS) {
      const result = await workspace.syncDay(day);
      outcomes[day] = {
        code: result.code,
        pointsToWindow: /--from\b.*--to\b/.test(result.stderr) && result.stderr.includes(last),
      };
    }
    expect(outcomes).toEqual(
      Object.fromEntries(
        DAYS.map((day) => [day, day === last ? { code: 0, pointsToWindow: false } : { code: 2, pointsToWindow: true }]),
      ),
    );
    expect(await booksAt(workspace.ledger)).toEqual(booksBefore);
    expect(await workspace.exportGeneric()).toBe(exportBefore);
    // Only the allowed re-run of the last day contacted the sources: two stats replies and the panel balance (no order is open: no batch).
    expect(await readBooks(workspace.ledger, (ledger) => ledger.count('raw_observations'))).toBe(rawBefore + 3);
  });

  it('the replay the refusal points to, sync --from/--to over the window, books nothing when nothing changed', async () => {
    const booksBefore = await booksAt(workspace.ledger);
    const replay = await workspace.run(['sync', '--from', DAYS[0]!, '--to', DAYS[DAYS.length - 1]!]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(await booksAt(workspace.ledger)).toEqual(booksBefore);
  });

  it('a re-run of the latest day that finds something new books it as a new entry, then a revision, never an edit', async () => {
    const last = DAYS[DAYS.length - 1]!;
    const entriesOf = () =>
      readBooks(
        workspace.ledger,
        async (ledger) =>
          (await ledger.rows('journal_lines', 'entry_id, line_no')) as {
            entry_id: string;
            account: string;
            amount_micros: bigint;
          }[],
      );
    const before = await entriesOf();
    const rerunAfterOrder = async (quantity: string, service: string) => {
      await placeOrder(sandbox, service, quantity);
      const result = await workspace.syncDay(last);
      expect(result.code, result.stderr).toBe(0);
      return readBooks(workspace.ledger, (ledger) => ledger.balanceMicros('panel_prepaid'));
    };

    // 04-02 balance: 80.00 − 0.90 − 0.90 + 0.14130 − 0.04551 + 0.04551 + 20.00 = 98.34130; then 2000 × 0.90 = 1.80000 is charged.
    expect(await rerunAfterOrder('2000', '1')).toBe(96_541_300n);
    // Then 3700 × 0.0123 = 0.04551.
    expect(await rerunAfterOrder('3700', '9')).toBe(96_495_790n);
    expect(sandbox.stateOn(last).panel.balance).toBe(96_495_790n);

    const after = await entriesOf();
    expect(after.filter((line) => before.some((old) => old.entry_id === line.entry_id))).toEqual(before);
    expect(
      after
        .filter((line) => !before.some((old) => old.entry_id === line.entry_id))
        .map((line) => [line.entry_id, line.account, line.amount_micros]),
    ).toEqual([
      [`je:smm-panel:${last}`, 'smm_services_expense', 1_800_000n],
      [`je:smm-panel:${last}`, 'panel_prepaid', -1_800_000n],
      [`je:smm-panel:${last}:r2`, 'smm_services_expense', 45_510n],
      [`je:smm-panel:${last}:r2`, 'panel_prepaid', -45_510n],
    ]);

    const settled = await booksAt(workspace.ledger);
    expect((await workspace.syncDay(last)).code).toBe(0);
    expect(await booksAt(workspace.ledger)).toEqual(settled);
  });

  // A backfill's re-poll of named orders waits for the next close (it used to poll at once and
  // book today's balance as the latest close: the 04-04 top-up landed on 04-02).
  it('a backfill run days after the latest close books nothing on or before that close for what happened after it', async () => {
    const last = DAYS[DAYS.length - 1]!;
    await writeOrdersFile(sandbox, workspace.dir, last);
    await setSandboxDay(sandbox, '2026-04-04');
    const booksBefore = await booksAt(workspace.ledger);
    const backfill = await workspace.run(['sync', '--from', DAYS[0]!, '--to', last, '--orders-file', 'orders.csv']);
    expect(backfill.code, backfill.stderr).toBe(0);
    const written = ((await booksAt(workspace.ledger)).journal_entries as { id: string; date: string }[]).slice(
      booksBefore.journal_entries!.length,
    );
    expect(written.filter((entry) => entry.date <= last)).toEqual([]);

    const nightly = await workspace.syncDay('2026-04-04');
    expect(nightly.code, nightly.stderr).toBe(1);
    const topUp = await readBooks(workspace.ledger, async (ledger) =>
      (
        (await ledger.rows('journal_lines', 'entry_id, line_no')) as {
          entry_id: string;
          account: string;
          amount_micros: bigint;
        }[]
      ).filter((line) => line.account === 'topup_clearing'),
    );
    expect(topUp.map((line) => [line.entry_id, line.amount_micros])).toEqual([
      ['je:smm-panel:2026-04-01', -20_000_000n],
      ['je:smm-panel:2026-04-04', -5_000_000n],
    ]);
  });
});

/** An order placed through the panel's API on the sandbox's current day (the way a user's own tools place them). */
async function placeOrder(sandbox: RunningSandbox, service: string, quantity: string): Promise<void> {
  const response = await fetch(sandbox.panelUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      key: sandbox.keys.panel,
      action: 'add',
      service,
      link: 'https://example.com/post/1',
      quantity,
    }).toString(),
    signal: AbortSignal.timeout(5000),
  });
  const reply = (await response.json()) as { order?: unknown };
  if (response.status !== 200 || reply.order === undefined) throw new Error(`add refused: ${JSON.stringify(reply)}`);
}

/** Orders open at the close of `day` (known from orders.csv and earlier closes, not yet terminal). */
function polledOn(day: string): number {
  // 03-29 R-1 · 03-30 R-2 (R-1 Completed at its first run) · 03-31 R-3 · 04-01 none · 04-02 none
  return (
    { '2026-03-29': 1, '2026-03-30': 1, '2026-03-31': 1, '2026-04-01': 0, '2026-04-02': 0 } as Record<string, number>
  )[day]!;
}
