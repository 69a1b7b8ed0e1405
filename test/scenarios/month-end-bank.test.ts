import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, fakesBooksText, startSandbox, type DestinationFakes } from '../../sandbox/index.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { BANK_MONTH_WORLD } from '../support/bank-month-world.js';
import { withSandboxBankAccount } from '../support/sandbox-bank.js';
import { builtWorld } from '../support/built-worlds.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { postgresInSoak } from '../support/soak.js';
import {
  daysFrom,
  finished,
  setSandboxDay,
  spawnLedgerline,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

/**
 * Issue 51's first "must show": a month-end over the sandbox's own bank, through the built CLI, with the Xero and
 * QuickBooks fakes. The world from 03-24: the panel topped up 20.00 (03-25), 48.00 (03-26), 30.00 (03-27) and
 * 50.00 (03-30); the publisher earns 76.04 by 03-31, paid at the month end (50.00 minimum). Nights 03-24 to
 * 03-31 synced (a built world), posted to both fakes; the books' day 04-07; the statement from 03-24 to 04-07
 * fetched from the sandbox's /bank/statement (camt.053, card 8345) and imported. Ground truth, by hand from the
 * sandbox bank's rules (a top-up is debited the next business day, every second one with a 3 % card fee, inside
 * the debit then on a line of its own; the first payout 2.50 short; the rent on the month's first business day,
 * the account fee on its last):
 *   SBK20260326-001  −20.00  CARD 8345 SMMPANEL              → top-up 03-25 matched
 *   SBK20260327-001  −49.44  CARD 8345 SMMPANEL              → top-up 03-26 (48.00) differs: 1.44 card fee inside
 *   SBK20260330-001  −30.00  CARD 8345 SMMPANEL              → top-up 03-27 matched
 *   SBK20260331-001   −9.00  ACCOUNT MAINTENANCE FEE         → no item: stray, booked Dr bank_fees
 *   SBK20260331-002  −50.00  CARD 8345 SMMPANEL              → top-up 03-30 matched
 *   SBK20260331-003   −1.50  CARD FEE 8345 SMMPANEL          → no item: stray (the fee on its own line), Dr bank_fees
 *   SBK20260401-001 −1450.00 STANDING ORDER OFFICE RENT      → no item: stray, Dr suspense (the chart has no rent)
 *   SBK20260403-001  +73.54  PAYPAL TRANSFER PAYELANCER 6998 → payout 03-31 (76.04) differs: 2.50 short
 * Statement: opening 4700.00 on 03-24, closing 3163.60 on 04-07 = 4700 − 20 − 49.44 − 30 − 9 − 50 − 1.50 − 1450
 * + 73.54. Its import books the opening, Dr bank / Cr opening_balance_equity 4700.00 on 03-25 (the day before its
 * first line; issue 69). The two differences accepted (Dr bank_fees / Cr clearing 1.44 and 2.50) and the three
 * stray lines adjusted, the ledger's bank ends at 3163.60 too: `balances`, the report's balance sheet and `transit`
 * all say the statement's closing balance. Xero takes no journal on its bank account 090: each bank leg
 * and each adjustment of a stray line reaches it as a bank transaction (SPEND/RECEIVE on 090, coded to the other
 * account), as the bank wrote it; QuickBooks takes them as journal entries on Checking.
 */
const NIGHTS = daysFrom('2026-03-24', '2026-03-31');
const BOOKS_DAY = '2026-04-07';

const topup = (day: string) => `panel:smm-panel:topup:${day}`;
const PAYOUT = 'payelancer:ads-publisher:payout:2026-03-31';
const line = (id: string) => `main-bank:${id}`;
/** The stray lines as a person books them: date, debit account, amount, the line's id in the reason. */
const STRAY = [
  ['2026-03-31', 'bank_fees', '9.00', 'SBK20260331-001', 'account maintenance fee'],
  ['2026-03-31', 'bank_fees', '1.50', 'SBK20260331-003', 'card fee'],
  ['2026-04-01', 'suspense', '1450.00', 'SBK20260401-001', 'office rent, to code when the chart has rent'],
] as const;

interface TransitJson {
  items: { id: string; state: string; match: null | { amount: string; bankLine: string } }[];
  bankBalancesOff?: { statementClosing: string; ledgerClosing: string }[];
}
interface TieOutJson {
  items: { kind: string; ref: string; remoteId?: string; message: string }[];
}

const engines = useLedgerEngines();

/**
 * SQLite in npm test, PostgreSQL in the soak (docs/testing.md): the settling, the strays, the close and the look-backs
 * at the fakes are the rules' over the books. In npm test on PostgreSQL: a person's match, unmatch and accepted
 * differences (bank-words-month), the closes (period-close, chained-closes), the outbox (post.test's store tests) and
 * the move into PostgreSQL (move-ledger).
 */
describe.each(postgresInSoak(LEDGER_ENGINES))(
  'a month-end over the sandbox bank, closed at both fakes (%s)',
  { timeout: 240_000 },
  (engine) => {
    let sandbox: RunningSandbox;
    let fakes: DestinationFakes;
    let workspace: Workspace;
    const run: Record<string, CliResult> = {};

    beforeAll(async () => {
      fakes = createDestinationFakes();
      sandbox = await startSandbox({ port: 0, script: BANK_MONTH_WORLD, extraMounts: [fakes.xero, fakes.quickbooks] });
      workspace = (await builtWorld({ name: 'bank-month', script: BANK_MONTH_WORLD, days: NIGHTS })).copyFor(
        sandbox,
        `bank-month-${engine}`,
      );
      await setSandboxDay(sandbox, BOOKS_DAY);
      const config = join(workspace.dir, 'ledgerline.yaml');
      const url = await engines.fresh(engine);
      if (url !== undefined) {
        const moved = await workspace.run(['migrate', '--to', url]);
        expect(moved.code, moved.stderr).toBe(0);
        writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, `ledger: ${url}`));
      }
      withSandboxBankAccount(workspace.dir);
      for (const destination of ['xero', 'quickbooks'])
        run[`post-${destination}`] = await workspace.run(['post', destination]);
      const statement = await fetch(`${sandbox.bankStatementUrl}?from=2026-03-24&to=${BOOKS_DAY}&format=camt053`);
      writeFileSync(join(workspace.dir, 'statement.xml'), await statement.text());
      run['dry'] = await workspace.run(['bank', 'import', 'statement.xml', '--account', 'main-bank', '--dry-run']);
      run['import'] = await workspace.run(['bank', 'import', 'statement.xml', '--account', 'main-bank']);
      run['transit'] = await workspace.run(['transit', '--json']);
      run['unmatched'] = await workspace.run(['bank', 'lines', '--unmatched', '--json']);
      run['report'] = await workspace.run(['report', '--out', 'before-strays.html']);
    }, 240_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    const states = (result: CliResult) =>
      (JSON.parse(result.stdout) as TransitJson).items.map((item) => [
        item.id,
        item.state,
        item.match?.bankLine ?? null,
        item.match?.amount ?? null,
      ]);

    it("settles the top-ups and the payout by the bank's own words: three matched, the card fee inside a debit and the fee-short payout differ", () => {
      for (const destination of ['xero', 'quickbooks'])
        expect(run[`post-${destination}`]!.code, run[`post-${destination}`]!.stderr).toBe(0);
      expect([run['import']!.code, run['import']!.stdout], run['import']!.stderr).toEqual([
        0,
        expect.stringContaining('8 lines read, 8 new for main-bank'),
      ]);
      expect(run['import']!.stdout).toContain(
        'opening balance 4700.00 USD of main-bank booked on 2026-03-25: Dr bank, Cr opening_balance_equity',
      );
      // The dry run before it said the same opening and the matches it would make (issue 69 item 6).
      expect(run['dry']!.stdout.split('\n').slice(1, -1), run['dry']!.stderr).toEqual([
        "  would book the opening balance 4700.00 USD of main-bank on 2026-03-25: Dr bank, Cr opening_balance_equity (its first statement's OPBD 4700.00 on 2026-03-24)",
        `  would match topup ${topup('2026-03-25')} of 20.00: bank -20.00 on 2026-03-26 (${line('SBK20260326-001')})`,
        `  differs topup ${topup('2026-03-26')} of 48.00: bank -49.44 on 2026-03-27 (${line('SBK20260327-001')}); nothing booked for it: its bank leg waits for you to accept the difference (ledgerline transit accept ${topup('2026-03-26')})`,
        `  would match topup ${topup('2026-03-27')} of 30.00: bank -30.00 on 2026-03-30 (${line('SBK20260330-001')})`,
        `  would match topup ${topup('2026-03-30')} of 50.00: bank -50.00 on 2026-03-31 (${line('SBK20260331-002')})`,
        `  differs payout ${PAYOUT} of 76.04: bank 73.54 on 2026-04-03 (${line('SBK20260403-001')}); nothing booked for it: its bank leg waits for you to accept the difference (ledgerline transit accept ${PAYOUT})`,
      ]);
      expect(run['transit']!.code).toBe(1);
      expect(states(run['transit']!)).toEqual([
        [topup('2026-03-25'), 'matched', line('SBK20260326-001'), '-20.00'],
        [topup('2026-03-26'), 'differs', line('SBK20260327-001'), '-49.44'],
        [topup('2026-03-27'), 'matched', line('SBK20260330-001'), '-30.00'],
        [topup('2026-03-30'), 'matched', line('SBK20260331-002'), '-50.00'],
        [PAYOUT, 'differs', line('SBK20260403-001'), '73.54'],
      ]);
      expect(
        (JSON.parse(run['transit']!.stdout) as TransitJson).bankBalancesOff?.map((off) => [
          off.statementClosing,
          off.ledgerClosing,
        ]),
      ).toEqual([['3163.60', '4600.00']]);
      // The report says the same of the bank account, above its money in transit.
      expect(run['report']!.code, run['report']!.stderr).toBe(0);
      expect(readFileSync(join(workspace.dir, 'before-strays.html'), 'utf8')).toMatch(
        /data-bank-account="main-bank">! bank account main-bank: the statement closes 2026-04-07 at 3163\.60 USD, the ledger&#39;s bank holds 4600\.00 that day: 1436\.40 more than the bank/,
      );
    });

    it('lists the lines no item took: the account fee, the card fee on its own line and the rent', () => {
      expect(run['unmatched']!.code).toBe(1);
      const lines = (
        JSON.parse(run['unmatched']!.stdout) as { lines: { bankLine: string; amount: string; reference: string }[] }
      ).lines;
      expect(lines.map((row) => [row.bankLine, row.amount, row.reference])).toEqual([
        [line('SBK20260331-001'), '-9.00', 'ACCOUNT MAINTENANCE FEE'],
        [line('SBK20260331-003'), '-1.50', 'CARD FEE 8345 SMMPANEL'],
        [line('SBK20260401-001'), '-1450.00', 'STANDING ORDER OFFICE RENT'],
      ]);
    });

    it('accepts the differences and books the stray lines; the bank then ties to the statement, both fakes take it all, and March closes with no change read back', async () => {
      const accepted = [
        [PAYOUT, 'PayPal kept 2.50', 'Dr bank_fees 2.50 USD, Cr payout_clearing_paypal 2.50 USD'],
        [topup('2026-03-26'), 'card fee 1.44 in the debit', 'Dr bank_fees 1.44 USD, Cr topup_clearing 1.44 USD'],
      ];
      for (const [item, note, booked] of accepted) {
        const result = await workspace.run(['transit', 'accept', item!, '--note', note!]);
        expect([result.code, result.stdout], result.stderr).toEqual([0, expect.stringContaining(booked!)]);
      }
      for (const [date, account, amount, bankLine, what] of STRAY) {
        const result = await workspace.run([
          'adjust',
          '--date',
          date,
          '--debit',
          `${account}=${amount}`,
          '--credit',
          `bank=${amount}`,
          '--reason',
          `${what}, bank line ${bankLine}`,
        ]);
        expect(result.code, result.stderr).toBe(0);
      }
      const settled = await workspace.run(['transit', '--json']);
      expect([settled.code, (JSON.parse(settled.stdout) as TransitJson).bankBalancesOff], settled.stderr).toEqual([
        0,
        undefined,
      ]);
      // The ledger's bank, the report's balance sheet and transit all say the statement's closing balance.
      const balances = await workspace.run(['balances', '--as-of', BOOKS_DAY, '--json']);
      expect(
        (JSON.parse(balances.stdout) as { rows: { account: string; net: string }[] }).rows.find(
          (row) => row.account === 'bank',
        )?.net,
        balances.stderr,
      ).toBe('3163.60');
      const report = await workspace.run(['report', '--to', BOOKS_DAY, '--out', 'settled.html']);
      expect(report.code, report.stderr).toBe(0);
      expect(readFileSync(join(workspace.dir, 'settled.html'), 'utf8')).toContain(
        '<tr data-account="bank" data-group="assets"><th scope="row">Bank <small class="key">bank</small></th><td class="num">3,163.60</td></tr>',
      );
      expect((await workspace.run(['transit'])).stdout).toContain(
        "bank account main-bank: the statement closes 2026-04-07 at 3163.60 USD, and the ledger's bank holds 3163.60 that day",
      );
      expect(states(settled).map(([id, state]) => [id, state])).toEqual([
        [topup('2026-03-25'), 'matched'],
        [topup('2026-03-26'), 'closed'],
        [topup('2026-03-27'), 'matched'],
        [topup('2026-03-30'), 'matched'],
        [PAYOUT, 'closed'],
      ]);

      for (const destination of ['xero', 'quickbooks']) {
        const posted = await workspace.run(['post', destination]);
        expect(posted.code, posted.stderr + posted.stdout).toBe(0);
      }
      // Xero's bank account reads as the statement: one bank transaction per line the ledger booked, coded to the other side.
      expect(
        fakes.xero
          .bankTransactions()
          .map((transaction) => [
            transaction.type,
            transaction.date,
            transaction.bankAccount.code,
            transaction.lines.map((item) => `${item.accountCode} ${item.cents}`).join(),
          ]),
      ).toEqual([
        ['SPEND', '2026-03-26', '090', '634 2000'],
        ['SPEND', '2026-03-27', '090', '634 4944'],
        ['SPEND', '2026-03-30', '090', '634 3000'],
        ['SPEND', '2026-03-31', '090', '634 5000'],
        ['RECEIVE', '2026-04-03', '090', '631 7354'],
        // The opening, as a bank transaction into 090 coded to opening balance equity (980): Xero takes no journal on 090.
        ['RECEIVE', '2026-03-25', '090', '980 470000'],
        ['SPEND', '2026-03-31', '090', '404 900'],
        ['SPEND', '2026-03-31', '090', '404 150'],
        ['SPEND', '2026-04-01', '090', '850 145000'],
      ]);
      expect(
        fakes.xero.journals().flatMap((journal) => journal.lines.filter((item) => item.accountCode === '090')),
      ).toEqual([]);

      fakes.xero.setLockDates({ periodLockDate: '2026-03-31' });
      fakes.quickbooks.setBookCloseDate('2026-03-31');
      const closed = await workspace.run(['close', '--period', '2026-03']);
      expect([closed.code, closed.stdout], closed.stderr).toEqual([
        0,
        expect.stringContaining('2026-03 closed: certificate'),
      ]);
      for (const destination of ['xero', 'quickbooks']) {
        const tieOut = await workspace.run(['reconcile', '--with', destination, '--json']);
        expect(
          [tieOut.code, (JSON.parse(tieOut.stdout) as TieOutJson).items],
          `${destination}: ${tieOut.stderr}`,
        ).toEqual([0, []]);
      }
    });

    it('a --dry-run sync inside the closed month says what the real run says, and books nothing (issue 51 item 9)', async () => {
      const booked = async () => {
        const { entries, lastEntryDate } = JSON.parse((await workspace.run(['status', '--json'])).stdout) as {
          entries: number;
          lastEntryDate: string;
        };
        return { entries, lastEntryDate };
      };
      const before = await booked();
      const sync = (asOf: string, dry: boolean) =>
        workspace.run(['sync', '--source', 'smm-panel', '--as-of', asOf, ...(dry ? ['--dry-run'] : [])]);
      // What each says besides its log lines (JSON) and the dry run's heading.
      const words = (result: CliResult) => [
        result.code,
        `${result.stdout}${result.stderr}`
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('{') && !line.includes('dry run')),
      ];
      // A day before the latest close is refused alike; the closed last day has nothing left to book, alike.
      const [rehearsed, real] = [await sync('2026-03-28', true), await sync('2026-03-28', false)];
      expect(words(rehearsed)).toEqual(words(real));
      expect(rehearsed.code, rehearsed.stdout + rehearsed.stderr).toBe(2);
      const [rehearsedLast, realLast] = [await sync('2026-03-31', true), await sync('2026-03-31', false)];
      expect([rehearsedLast.code, realLast.code]).toEqual([0, 0]);
      for (const result of [rehearsedLast, realLast]) expect(result.stdout).toContain('smm-panel: nothing booked');
      expect(await booked()).toEqual(before);
    });

    it('names the one journal voided at Xero behind the lock, and only it', async () => {
      const voided = fakes.xero
        .journals()
        .find((journal) => journal.narration.endsWith('[je:adjustment:2026-03-27:2]'))!;
      fakes.xero.removeJournal(voided.manualJournalId);
      const tieOut = await workspace.run(['reconcile', '--with', 'xero', '--json']);
      expect(tieOut.code).toBe(1);
      const { items } = JSON.parse(tieOut.stdout) as TieOutJson;
      expect(
        items
          .filter((item) => item.kind === 'closed_period_changed_at_destination')
          .map((item) => [item.ref, item.remoteId]),
      ).toEqual([['je:adjustment:2026-03-27:2', voided.manualJournalId]]);
      // Every item names it, or an account it moved (bank fees and top-up clearing, off by its 1.44).
      expect(
        new Set(items.filter((item) => item.kind !== 'destination_balance_mismatch').map((item) => item.remoteId)),
      ).toEqual(new Set([voided.manualJournalId]));
      expect(items.filter((item) => item.kind === 'destination_balance_mismatch').map((item) => item.ref)).toEqual([
        '404',
        '634',
      ]);
    });

    it("keeps the fakes' books across `sandbox --resume`: the resumed fakes read as these do, the voided journal included", async () => {
      const here = await Promise.all(
        ['xero', 'quickbooks'].map((destination) => workspace.run(['reconcile', '--with', destination, '--json'])),
      );
      // What the demo writes at its end (demo.ts), beside the world it names.
      writeFileSync(join(workspace.dir, 'sandbox-fakes.json'), fakesBooksText(fakes));
      writeFileSync(
        join(workspace.dir, 'sandbox.json'),
        JSON.stringify({ seed: 7, start: '2026-03-24', today: BOOKS_DAY, port: 1 }),
      );
      const resumed = spawnLedgerline(
        workspace.dir,
        ['sandbox', '--resume', workspace.dir, '--port', '0'],
        workspace.env,
      );
      const ended = finished(resumed, 120_000);
      try {
        const url = await new Promise<string>((resolve) => {
          let said = '';
          resumed.stdout!.on('data', (chunk: Buffer) => {
            said += chunk.toString();
            const found = /listening on (http:\/\/\S+)/.exec(said);
            if (found) resolve(found[1]!);
          });
        });
        const config = join(workspace.dir, 'ledgerline.yaml');
        writeFileSync(config, readFileSync(config, 'utf8').replaceAll(sandbox.baseUrl, url));
        const there = await Promise.all(
          ['xero', 'quickbooks'].map((destination) => workspace.run(['reconcile', '--with', destination, '--json'])),
        );
        expect(
          there.map((run) => [run.code, JSON.parse(run.stdout)]),
          there.map((run) => run.stderr).join(''),
        ).toEqual(here.map((run) => [run.code, JSON.parse(run.stdout)]));
        expect(there.map((run) => run.code)).toEqual([1, 0]);
      } finally {
        resumed.kill('SIGINT');
        await ended;
      }
    });
  },
);
