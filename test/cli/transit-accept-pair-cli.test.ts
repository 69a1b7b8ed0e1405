import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvStatementText } from '../../sandbox/bank/statement-writers.js';
import { MONTH_END } from '../scenarios/month-end-world.js';
import { BANK_STATEMENT_CONFIG, bankStatementWorkspace } from '../support/bank-statement-workspace.js';
import { builtWorld } from '../support/built-worlds.js';
import { startCliProcess, runPairs, type CliProcess } from '../support/cli-pair.js';
import { runLedgerline } from '../support/cli.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { soakOr } from '../support/soak.js';
import { openLedgerTables } from '../support/ledger-tables.js';

/**
 * Two `transit accept` of one `differs` item at once (issue 52: 4 of 8 pairs booked its fee twice), 20 rounds, each
 * on a fresh copy of the month-end world's ledger with a statement whose line pays the 55.00 payout short by 2.50:
 * one of the two books the 2.50 to bank_fees, the other finds it accepted (or is kept out by the run lock, exit 75).
 * The decision is ledger.decide, the same unit under the ledger's lock on both engines: on PostgreSQL each round's
 * ledger is a copy of the imported one moved there with `migrate --to`.
 */
// A few rounds in `npm test`, the 20 in `npm run soak` (which CI runs after it).
const ROUNDS = soakOr(5, 20);
const PAYOUT = 'payelancer:ads-publisher:payout:2026-03-31';
const STATEMENT = csvStatementText({
  account: 'US-OPERATING',
  currency: 'USD',
  from: '2026-03-01',
  to: '2026-04-30',
  lines: [
    {
      id: 'SBX-20260402-1',
      bookedOn: '2026-04-02',
      amountMicros: 52_500_000n,
      currency: 'USD',
      reference: PAYOUT,
      description: 'PAYOUT',
    },
  ],
});

const engines = useLedgerEngines();
/** The two processes, started once for both engines: each round's command names its ledger by its folder. */
let pair: [CliProcess, CliProcess];
beforeAll(() => {
  pair = [startCliProcess(), startCliProcess()];
});
afterAll(async () => {
  await Promise.all(pair.map((process) => process.stop()));
});

describe.each(LEDGER_ENGINES)(
  'two transit accepts of one differing payout at once on a %s ledger',
  { timeout: 300_000 },
  (engine) => {
    let dir: string;
    /** Where each round's ledger is: its own SQLite file, or its own PostgreSQL database. */
    const ledgers: string[] = [];
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ledgerline-accept-pair-'));
      mkdirSync(join(dir, 'imported'));
      const imported = await bankStatementWorkspace(
        join(dir, 'imported'),
        (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30'),
        'april.csv',
        STATEMENT,
      );
      const moved = await engines.fresh(engine);
      if (moved !== undefined) {
        const move = await runLedgerline(['migrate', '--to', moved], { cwd: imported });
        expect(move.code, move.stdout + move.stderr).toBe(0);
      }
      for (let round = 1; round <= ROUNDS; round += 1) {
        mkdirSync(join(dir, `round-${round}`, 'data'), { recursive: true });
        const ledger = (await engines.copy(moved)) ?? join(dir, `round-${round}`, 'data', 'ledger.sqlite');
        if (moved === undefined) copyFileSync(join(imported, 'data', 'ledger.sqlite'), ledger);
        writeFileSync(
          join(dir, `round-${round}`, 'ledgerline.yaml'),
          BANK_STATEMENT_CONFIG.replace('ledger: data/ledger.sqlite', `ledger: ${ledger}`),
        );
        ledgers.push(ledger);
      }
    }, 300_000);
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it(`books the 2.50 fee once in each of ${ROUNDS} rounds`, async () => {
      const runs = await runPairs(pair, ROUNDS, (round) => ({
        args: ['transit', 'accept', PAYOUT, '--note', 'fee withheld'],
        cwd: join(dir, `round-${round}`),
      }));
      for (const [index, both] of runs.entries()) {
        const booked = both.filter(
          (run) => run.code === 0 && run.stdout.startsWith(`accepted: ${PAYOUT}, its difference booked as`),
        );
        expect(booked, JSON.stringify(both)).toHaveLength(1);
        expect(booked[0]!.stdout).toContain('Dr bank_fees 2.50 USD');
        const other = both.find((run) => run !== booked[0])!;
        expect(
          other.code === 75 || other.stdout === `${PAYOUT} was accepted already; nothing more is booked\n`,
          JSON.stringify(other),
        ).toBe(true);
        const tables = await openLedgerTables(ledgers[index]!);
        try {
          const fees = await tables.all(
            tables.db.selectFrom('journal_lines').select('amount_micros').where('account', '=', 'bank_fees'),
          );
          expect(fees.map((line) => line.amount_micros)).toEqual([2_500_000n]);
        } finally {
          await tables.close();
        }
      }
    });
  },
);
