import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliProcess, runPairs, type CliProcess } from '../support/cli-pair.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { soakOr } from '../support/soak.js';
import { withLedgerTables } from '../support/ledger-tables.js';

/**
 * Each command that decides from the books and then writes, run by two processes at once on one ledger, 20 rounds in the soak (5 in npm test)
 * each, on both engines: what one of them books, acknowledges or closes, the other finds done (or is kept out by
 * the run lock, exit 75), and nothing is booked twice (issue 52, item 6). Two long-lived processes of the built CLI
 * (test/support/cli-runner.mjs) take each round's command at the same moment.
 */
// A few rounds in `npm test`, the 20 in `npm run soak` (which CI runs after it).
const ROUNDS = soakOr(5, 20);
const engines = useLedgerEngines();
/** The two processes, started once for both engines: each round's command names its ledger by its folder. */
let pair: [CliProcess, CliProcess];
beforeAll(() => {
  pair = [startCliProcess(), startCliProcess()];
});
afterAll(async () => {
  await Promise.all(pair.map((process) => process.stop()));
});

describe.each(LEDGER_ENGINES)('two commands at once on a %s ledger', { timeout: 300_000 }, (engine) => {
  let dir: string;
  let ledger: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-check-then-act-'));
    mkdirSync(join(dir, 'data'));
    ledger = (await engines.fresh(engine)) ?? join(dir, 'data', 'ledger.sqlite');
    writeFileSync(join(dir, 'ledgerline.yaml'), `ledger: ${ledger}\ntimezone: UTC\ncurrency: USD\ndestinations: {}\n`);
    await withLedgerTables(ledger, async (tables) => {
      for (let round = 1; round <= ROUNDS; round += 1) {
        await tables.run(
          tables.db.insertInto('discrepancies').values({
            id: `finding:round-${round}`,
            kind: 'panel_unexplained_fall',
            source_id: 'smm-panel',
            date: `2023-12-${String(round).padStart(2, '0')}`,
            amount_micros: 1_000_000n,
            currency: 'USD',
            ref: `round ${round}`,
            message: 'the balance fell by 1.00 USD that no order explains',
            created_at: '2024-02-10T00:00:00.000Z',
            resolved_at: null,
          }),
        );
      }
    });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconcile ack: each item acknowledged once, the other told it was', async () => {
    const runs = await runPairs(pair, ROUNDS, (round) => ({
      args: ['reconcile', 'ack', `finding:round-${round}`, '--note', `round ${round}`],
      cwd: dir,
    }));
    for (const [round, both] of runs.entries()) {
      expect(
        both.map((run) => run.code),
        JSON.stringify(both),
      ).toEqual([0, 0]);
      const said = both.map((run) => run.stdout).sort();
      expect(said[0]).toMatch(new RegExp(`^acknowledged: finding:round-${round + 1} \\(round ${round + 1}\\)\n$`));
      expect(said[1]).toMatch(
        new RegExp(
          `^finding:round-${round + 1} was acknowledged already, by .+ \\(round ${round + 1}\\); nothing more was recorded`,
        ),
      );
    }
    const words = await withLedgerTables(ledger, (tables) =>
      tables.all(tables.db.selectFrom('acknowledgements').select(['item_id', 'action'])),
    );
    expect(words).toHaveLength(ROUNDS);
    expect(new Set(words.map((word) => word.item_id)).size).toBe(ROUNDS);
  });

  it('adjust --id: each key booked once; the other finds it booked, or is kept out by the run lock', async () => {
    const runs = await runPairs(pair, ROUNDS, (round) => ({
      args: [
        'adjust',
        '--date',
        '2024-02-10',
        '--debit',
        'suspense=1.00',
        '--credit',
        'smm_services_expense=1.00',
        '--reason',
        `round ${round}`,
        '--id',
        `round-${round}`,
      ],
      cwd: dir,
    }));
    for (const both of runs) {
      const booked = both.filter((run) => run.code === 0 && run.stdout.startsWith('booked adjusting entry'));
      const others = both.filter((run) => !booked.includes(run));
      expect(booked, JSON.stringify(both)).toHaveLength(1);
      expect(
        others[0]!.code === 75 ||
          (others[0]!.code === 0 && others[0]!.stdout.includes('was booked already for this entry')),
        JSON.stringify(others),
      ).toBe(true);
    }
    const entries = await withLedgerTables(ledger, (tables) =>
      tables.all(tables.db.selectFrom('adjustments').select('reason')),
    );
    expect(entries.map((entry) => entry.reason).sort()).toEqual(
      Array.from({ length: ROUNDS }, (_, index) => `round ${index + 1}`).sort(),
    );
  });

  it("close: each month closed once, one certificate each, its hash the row's; the other is told it is closed", async () => {
    const months = Array.from(
      { length: ROUNDS },
      (_, index) => `${2024 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
    );
    const runs = await runPairs(pair, ROUNDS, (round) => ({
      args: ['close', '--period', months[round - 1]!, '--allow-unlocked-destination'],
      cwd: dir,
    }));
    for (const [index, both] of runs.entries()) {
      // The other is told the month is closed, or (75) that the close held the ledger longer than it waits.
      const [won, other] = [...both].sort((a, b) => a.code! - b.code!);
      expect([won!.code, other!.code === 2 || other!.code === 75], JSON.stringify(both)).toEqual([0, true]);
      expect(other!.stderr).toMatch(
        new RegExp(`${months[index]} is closed already|is busy: another ledgerline process held its write lock`),
      );
    }
    const closed = await withLedgerTables(ledger, (tables) =>
      tables.all(tables.db.selectFrom('closed_periods').select(['period', 'certificate_sha256']).orderBy('period')),
    );
    expect(closed.map((row) => row.period)).toEqual(months);
    const folder = join(dir, 'data', 'certificates');
    const certificates = engine === 'sqlite' ? folder : join(dir, 'certificates');
    expect(readdirSync(certificates).sort()).toEqual(months.map((month) => `${month}.json`));
    for (const row of closed)
      expect(
        createHash('sha256')
          .update(readFileSync(join(certificates, `${row.period}.json`)))
          .digest('hex'),
      ).toBe(row.certificate_sha256);
  });
});
