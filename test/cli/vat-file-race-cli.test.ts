import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli.js';
import { startCliProcess, type CliProcess } from '../support/cli-pair.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { withLedgerTables } from '../support/ledger-tables.js';
import { soakOr } from '../support/soak.js';

/**
 * Issue 84 item 4: two `vat file` at once, by two processes of the built CLI on one ledger. Of one period, the
 * second exited 70 (`UNIQUE constraint failed: filed_returns.period`); of 2026-03 and 2026-Q1, both were filed,
 * overlapping, since the overlap was checked before the unit of work. Now the check and the row are one unit under
 * the ledger's write lock: exactly one return is filed, the other exits 2 naming it. Each round files its own year's
 * first quarter, so the rounds are apart; a few pairs run at a time. 20 pairs of each kind in the soak, 4 in npm test.
 */
const PAIRS = soakOr(4, 20);
/** Pairs run at once: the machine's two cores are shared. */
const AT_ONCE = 2;
const engines = useLedgerEngines();
/** Two processes a pair, started once for both engines: each run names its ledger by its folder. */
let processes: CliProcess[];
beforeAll(() => {
  processes = Array.from({ length: 2 * AT_ONCE }, () => startCliProcess());
});
afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop()));
});

describe.each(LEDGER_ENGINES)('two vat file at once on a %s ledger', { timeout: 300_000 }, (engine) => {
  let dir: string;
  let ledger: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-vat-file-race-'));
    mkdirSync(join(dir, 'data'));
    ledger = (await engines.fresh(engine)) ?? join(dir, 'data', 'ledger.sqlite');
    writeFileSync(join(dir, 'ledgerline.yaml'), `ledger: ${ledger}\ntimezone: UTC\ncurrency: USD\nsources: []\n`);
    const migrated = await processes[0]!.run(['migrate'], dir, { XDG_STATE_HOME: join(dir, 'state') });
    expect(migrated.code, migrated.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Each pair's two periods (a year of its own) filed at once; each pair's two runs. */
  async function filePairs(periods: (year: number) => [string, string], firstYear: number): Promise<CliRun[][]> {
    const runs: CliRun[][] = [];
    for (let start = 0; start < PAIRS; start += AT_ONCE) {
      const batch = Array.from({ length: Math.min(AT_ONCE, PAIRS - start) }, (_, index) => firstYear + start + index);
      runs.push(
        ...(await Promise.all(
          batch.map((year, index) =>
            Promise.all(
              periods(year).map((period, side) =>
                processes[2 * index + side]!.run(['vat', 'file', '--period', period], dir, {
                  XDG_STATE_HOME: join(dir, 'state'),
                }),
              ),
            ),
          ),
        )),
      );
    }
    return runs;
  }

  async function filedPeriods(fromYear: number): Promise<string[]> {
    return withLedgerTables(ledger, (tables) =>
      tables.all(
        tables.db
          .selectFrom('filed_returns')
          .select('period')
          .where('period_start', '>=', `${fromYear}-01-01`)
          .where('period_end', '<=', `${fromYear + PAIRS - 1}-12-31`)
          .orderBy('period'),
      ),
    ).then((rows) => rows.map((row) => row.period));
  }

  /** One run filed (exit 0), the other refused (exit 2) naming the return that won; never 70 or 75. */
  function expectOneFiled(pair: CliRun[], refusal: RegExp): void {
    const sorted = [...pair].sort((a, b) => (a.code ?? -1) - (b.code ?? -1));
    expect(
      sorted.map((run) => run.code),
      JSON.stringify(pair),
    ).toEqual([0, 2]);
    expect(sorted[1]!.stderr).toMatch(refusal);
    expect(sorted[1]!.stderr).toContain('nothing was filed');
  }

  it('of one period: one return filed, the other exits 2 saying it was filed already', async () => {
    const runs = await filePairs((year) => [`${year}-03`, `${year}-03`], 1961);
    for (const [index, pair] of runs.entries())
      expectOneFiled(pair, new RegExp(`^error: ${1961 + index}-03 was filed already \\S+ by `));
    expect(await filedPeriods(1961)).toEqual(Array.from({ length: PAIRS }, (_, index) => `${1961 + index}-03`));
  });

  it('of a month and its quarter: one of them filed, the other exits 2 naming it', async () => {
    const runs = await filePairs((year) => [`${year}-03`, `${year}-Q1`], 1981);
    const filed = await filedPeriods(1981);
    expect(filed).toHaveLength(PAIRS);
    for (const [index, pair] of runs.entries()) {
      const year = 1981 + index;
      const won = filed.find((period) => period.startsWith(`${year}-`));
      const lost = won === `${year}-03` ? `${year}-Q1` : `${year}-03`;
      expectOneFiled(pair, new RegExp(`^error: ${lost} overlaps ${won}, filed \\S+ by `));
    }
  });
});
