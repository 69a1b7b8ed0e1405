import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, startSandbox } from '../../sandbox/index.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { XeroFake } from '../../sandbox/xero/fake.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { withSandboxBankAccount } from '../support/sandbox-bank.js';
import { setSandboxDay, type CliResult, type Workspace } from './scenario-harness.js';
import { afterTheNights, SWAPPED_TOPUPS_WORLD } from './swapped-topups-nights.js';

/**
 * Issue 82 items 5 and 6: swapped-topups.test.ts's month (two top-ups of 50.00 on 04-03 and 04-04, debited by card
 * on 04-06, T1's with a 1.50 card fee), followed to Xero and QuickBooks. The rules give T1 the −50.00 line; a
 * person moves it to the −51.50 one (je:bank-leg:T1, its reversal, je:bank-leg-again:2:T1) and books the rent by
 * hand. The bank had 3 lines: −800.00 (rent), −51.50 (T1's), −50.00 (T2's). So each statement side file holds those
 * 3, not 5 (the wrong −50.00 and its +50.00 reversal never reached a destination), and Xero, holding T1's and T2's
 * bank transactions and the rent's, ties out with nothing listed.
 */
const T1 = 'panel:smm-panel:topup:2026-04-03';
const T2 = 'panel:smm-panel:topup:2026-04-04';
const STATEMENT = [
  'Date,Amount,Currency,Reference,Details,Id',
  '2026-04-01,-800.00,USD,RENT APRIL,STANDING ORDER,B-03',
  '2026-04-06,-51.50,USD,CARD 4411 SMMPANEL,CARD PAYMENT,B-01',
  '2026-04-06,-50.00,USD,CARD 4412 SMMPANEL,CARD PAYMENT,B-02',
  '',
].join('\n');
const CSV_COLUMNS =
  '{ date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id }';

const { fresh } = useLedgerEngines();

describe.each(LEDGER_ENGINES)(
  'a wrong automatic match put right by hand, then exported and posted, on %s',
  { timeout: 240_000 },
  (engine) => {
    let sandbox: RunningSandbox;
    let xero: XeroFake;
    let workspace: Workspace;
    const run: Record<string, CliResult> = {};
    const ok = (name: string, result: CliResult) => {
      run[name] = result;
      if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${result.stderr}${result.stdout}`);
    };

    beforeAll(async () => {
      const fakes = createDestinationFakes();
      xero = fakes.xero;
      sandbox = await startSandbox({
        port: 0,
        script: SWAPPED_TOPUPS_WORLD,
        extraMounts: [fakes.xero, fakes.quickbooks],
      });
      workspace = await afterTheNights(
        sandbox,
        `swapped-topups-at-destinations-${engine}`,
        await fresh(engine),
        (dir) => {
          withSandboxBankAccount(dir);
          // The sandbox bank's account as a CSV statement in the bank's words.
          const config = join(dir, 'ledgerline.yaml');
          writeFileSync(
            config,
            readFileSync(config, 'utf8').replace(
              /^ {2}- \{ id: main-bank, kind: bank-statement, accountNumber: [^}]*\}$/m,
              `  - { id: operating, kind: bank-statement, currency: USD, csv: ${CSV_COLUMNS} }`,
            ),
          );
        },
      );
      await setSandboxDay(sandbox, '2026-04-07');
      writeFileSync(join(workspace.dir, 'april.csv'), STATEMENT);
      ok('import', await workspace.run(['bank', 'import', 'april.csv', '--account', 'operating']));
      ok('unmatch', await workspace.run(['transit', 'unmatch', T2]));
      ok('match', await workspace.run(['transit', 'match', T1, 'operating:B-01']));
      ok('accept', await workspace.run(['transit', 'accept', T1, '--note', '3 % card fee']));
      ok(
        'rent',
        await workspace.run([
          'adjust',
          '--date',
          '2026-04-01',
          '--debit',
          'suspense=800.00',
          '--credit',
          'bank=800.00',
          '--reason',
          'rent April',
          '--settles',
          'operating:B-03',
        ]),
      );
    }, 240_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    it("booked the wrong leg and its reversal: the books hold T1's legs as the person left them", () => {
      expect(run['match']!.stdout).toContain(`reversed by je:bank-leg-reversal:1:${T1}`);
    });

    it.each([
      ['xero', 'april.xero.csv', 'april.xero-bank-statement.csv', 1],
      ['quickbooks', 'april.qb.csv', 'april.qb-bank-statement.csv', 2],
    ])(
      "%s's statement side file holds the statement's 3 lines, not the wrong leg and its reversal",
      async (format, out, side, amountColumn) => {
        const exported = await workspace.run([
          'export',
          '--format',
          format,
          '--from',
          '2026-04-01',
          '--to',
          '2026-04-30',
          '--out',
          out,
        ]);
        expect(exported.code, exported.stderr).toBe(0);
        expect(exported.stdout).toContain('; 3 lines of bank for');
        const rows = readFileSync(join(workspace.dir, side), 'utf8').trim().split(/\r?\n/).slice(1);
        const amounts = rows.map((row) =>
          row
            .split(',')
            .at(amountColumn === 1 ? 1 : -1)!
            .replaceAll('"', ''),
        );
        expect(amounts.sort()).toEqual(['-50.00', '-51.50', '-800.00']);
        expect(rows.join('\n')).not.toContain('bank-leg-reversal');
      },
    );

    it('Xero, holding the bank transactions of T1, T2 and the rent, ties out with nothing listed', async () => {
      ok('post', await workspace.run(['post', 'xero']));
      expect(
        xero
          .bankTransactions()
          .map((transaction) => [transaction.reference, transaction.lines.map((line) => String(line.cents))])
          .sort(),
      ).toEqual(
        [
          [T1, ['5150']],
          [T2, ['5000']],
          [expect.stringMatching(/^je:adjustment:2026-04-01:/), ['80000']],
        ].sort(),
      );
      const reconciled = await workspace.run(['reconcile', '--with', 'xero', '--json']);
      expect((JSON.parse(reconciled.stdout) as { items: unknown[] }).items).toEqual([]);
      expect(reconciled.code, reconciled.stderr).toBe(0);
    });

    it('a difference a person leaves has an id: acknowledged with reconcile ack --with, it no longer keeps the tie-out from clean', async () => {
      const acceptance = xero.journals().find((journal) => journal.narration.includes('3 % card fee'))!;
      xero.removeJournal(acceptance.manualJournalId!);
      const listed = await workspace.run(['reconcile', '--with', 'xero', '--json']);
      const report = JSON.parse(listed.stdout) as {
        clean: boolean;
        items: { id: string; kind: string; acknowledged?: unknown }[];
      };
      // The journal gone, and the two balances it moved there: 1.50 of bank fees (404) and of top-up clearing (634).
      expect([listed.code, report.clean, report.items.map((item) => item.id)]).toEqual([
        1,
        false,
        [
          expect.stringMatching(/^with:xero:missing_at_destination:je:adjustment:2026-04-06:/),
          'with:xero:destination_balance_mismatch:404',
          'with:xero:destination_balance_mismatch:634',
        ],
      ]);
      const unknown = await workspace.run(['reconcile', 'ack', 'with:xero:nothing', '--with', 'xero']);
      expect([unknown.code, unknown.stderr]).toEqual([
        2,
        expect.stringContaining('no open reconcile item has the id "with:xero:nothing"'),
      ]);
      for (const { id } of report.items) {
        const acked = await workspace.run([
          'reconcile',
          'ack',
          id,
          '--with',
          'xero',
          '--note',
          'deleted in Xero on purpose',
        ]);
        expect([acked.code, acked.stdout], acked.stderr).toEqual([
          0,
          `acknowledged: ${id} (deleted in Xero on purpose)\n`,
        ]);
      }
      const after = await workspace.run(['reconcile', '--with', 'xero', '--json']);
      const again = JSON.parse(after.stdout) as typeof report;
      expect([after.code, again.clean, again.items[0]?.acknowledged]).toEqual([
        0,
        true,
        expect.objectContaining({ note: 'deleted in Xero on purpose' }),
      ]);
    });
  },
);
