import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentMoney } from '../../sandbox/bank/bank-statement-plan.js';
import { writeSandboxBankStatements } from '../../sandbox/bank/write-bank-statements.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { formatMicros, parseMicros } from '../../src/money/index.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { postgresInSoak } from '../support/soak.js';
import {
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

/**
 * April 2026 of a publisher paid on four dates and a panel topped up twice, synced on five nights only (a close
 * may skip days), then the sandbox bank's April statement imported (sandbox/bank: the 1st payout 2 days after it
 * was sent, the 2nd 9 days after, the 3rd 2 days after short by a 2.50 fee, the 4th never; the 1st top-up paid by
 * card the next day, the 2nd never). Terms: the defaults, 5 business days, a 10-day window, 25.00 of tolerance.
 *   04-01 (Wed) baseline: earnings 0.00, panel balance 20.00
 *   04-03 earnings 120.00: payout 120.00             → line +120.00 on 04-05
 *         top-up 100.00 (balance 120.00)            → card line −100.00 on 04-04
 *   04-08 earnings 200.00: payout 80.00; top-up 40.50 → line +80.00 on 04-17; the top-up never funded
 *   04-10 earnings 295.00: payout 95.00              → line +92.50 on 04-12 (2.50 fee withheld)
 *   04-14 earnings 355.00: payout 60.00              → no line
 * As of Thursday 04-16: the 80.00 payout and the 40.50 top-up are 6 business days old (9, 10, 13, 14, 15, 16):
 * late; the 60.00 payout is 2 business days old: cleared. As of Thursday 04-30 the 80.00 payout is matched, the
 * 60.00 payout 12 business days old, late.
 */
const WORLD: WorldScript = {
  start: '2026-04-01',
  panel: {
    openingBalance: '20.00',
    orders: [],
    topUps: [
      { on: '2026-04-03', amount: '100.00' },
      { on: '2026-04-08', amount: '40.50' },
    ],
  },
  payelancer: {
    publisher: {
      earnings: {
        '2026-04-01': '0.00',
        '2026-04-03': '120.00',
        '2026-04-08': '200.00',
        '2026-04-10': '295.00',
        '2026-04-14': '355.00',
      },
    },
    advertiser: { spent: { '2026-04-01': '0.00' } },
  },
};
const NIGHTS = ['2026-04-01', '2026-04-03', '2026-04-08', '2026-04-10', '2026-04-14'];
const PAYOUT_DATES = ['2026-04-03', '2026-04-08', '2026-04-10', '2026-04-14'];

const payout = (day: string) => `payelancer:ads-publisher:payout:${day}`;
const topup = (day: string) => `panel:smm-panel:topup:${day}`;
const SENT: SentMoney[] = [
  { id: topup('2026-04-03'), kind: 'topup', amountMicros: 100_000_000n, currency: 'USD', sentOn: '2026-04-03' },
  { id: payout('2026-04-03'), kind: 'payout', amountMicros: 120_000_000n, currency: 'USD', sentOn: '2026-04-03' },
  { id: payout('2026-04-08'), kind: 'payout', amountMicros: 80_000_000n, currency: 'USD', sentOn: '2026-04-08' },
  { id: topup('2026-04-08'), kind: 'topup', amountMicros: 40_500_000n, currency: 'USD', sentOn: '2026-04-08' },
  { id: payout('2026-04-10'), kind: 'payout', amountMicros: 95_000_000n, currency: 'USD', sentOn: '2026-04-10' },
  { id: payout('2026-04-14'), kind: 'payout', amountMicros: 60_000_000n, currency: 'USD', sentOn: '2026-04-14' },
];

/** Ground truth by hand: id, state, age in days, amount, and the day and amount of the bank line that settled it. */
type Truth = [id: string, state: string, ageDays: number, amount: string, line: null | [date: string, amount: string]];
const AS_OF_04_16: Truth[] = [
  [topup('2026-04-03'), 'matched', 13, '100.00', ['2026-04-04', '-100.00']],
  [payout('2026-04-03'), 'matched', 13, '120.00', ['2026-04-05', '120.00']],
  [topup('2026-04-08'), 'late', 8, '40.50', null],
  [payout('2026-04-08'), 'late', 8, '80.00', null],
  [payout('2026-04-10'), 'differs', 6, '95.00', ['2026-04-12', '92.50']],
  [payout('2026-04-14'), 'cleared', 2, '60.00', null],
];
const AS_OF_04_30: Truth[] = [
  [topup('2026-04-03'), 'matched', 27, '100.00', ['2026-04-04', '-100.00']],
  [payout('2026-04-03'), 'matched', 27, '120.00', ['2026-04-05', '120.00']],
  [topup('2026-04-08'), 'late', 22, '40.50', null],
  [payout('2026-04-08'), 'matched', 22, '80.00', ['2026-04-17', '80.00']],
  [payout('2026-04-10'), 'differs', 20, '95.00', ['2026-04-12', '92.50']],
  [payout('2026-04-14'), 'late', 16, '60.00', null],
];

interface TransitJson {
  asOf: string;
  items: {
    id: string;
    kind: string;
    source: string;
    amount: string;
    state: string;
    ageDays: number;
    match: null | { amount: string; date: string; reference: string; bankLine?: string };
  }[];
}

const asTruth = (run: CliResult): Truth[] =>
  (JSON.parse(run.stdout) as TransitJson).items.map((item) => [
    item.id,
    item.state,
    item.ageDays,
    item.amount,
    item.match === null ? null : [item.match.date, item.match.amount],
  ]);

/** A bank account `operating` whose statements are imported, the publisher paid on PAYOUT_DATES, no destination (nothing here posts), alerts appended to alerts.json. */
function addBankAccount(workspace: Workspace): void {
  const path = join(workspace.dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  document.delete('destinations');
  document.set('schedule', document.createNode({ cron: '30 2 * * *', timezone: 'UTC', post: [] }));
  document.set('alerts', document.createNode({ command: 'cat >> alerts.json; echo >> alerts.json' }));
  (document.get('sources') as { add(value: unknown): void }).add(
    document.createNode({ id: 'operating', kind: 'bank-statement', currency: 'USD' }),
  );
  writeFileSync(
    path,
    document.toString().replace(/^ {2}schedule: month-end\b.*$/m, `  schedule: [${PAYOUT_DATES.join(', ')}]`),
  );
}

const { fresh } = useLedgerEngines();

/**
 * SQLite in npm test, PostgreSQL in the soak (docs/testing.md): the states, ages, alerts and the accepted fee are the
 * transit rules' over the books. In npm test on PostgreSQL: the transit records (store/transit-items: the evidence
 * kept, an item alerted late once) and an accepted fee booked once under two racing accepts (transit-accept-pair-cli).
 */
describe.each(postgresInSoak(LEDGER_ENGINES))('a month of payouts and top-ups followed to the bank on %s', (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const nights: (number | null)[] = [];
  const transit: Record<string, CliResult> = {};
  let camt053 = '';

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(WORLD);
    workspace = await createWorkspace(sandbox, `transit-month-${engine}`, { ledger: () => fresh(engine) });
    addBankAccount(workspace);
    for (const night of NIGHTS) {
      await setSandboxDay(sandbox, night);
      const run = await workspace.syncDay(night);
      if (run.code !== 0 && run.code !== 1) throw new Error(`sync of ${night} exited ${run.code}: ${run.stderr}`);
      nights.push(run.code);
    }
    // April's statement, downloaded on the month's last day: its import moves what its lines settle out of clearing.
    await setSandboxDay(sandbox, '2026-04-30');
    const statement = writeSandboxBankStatements(workspace.dir, SENT, {
      account: 'US-OPERATING',
      currency: 'USD',
      from: '2026-04-01',
      to: '2026-04-30',
    });
    camt053 = statement.camt053;
    const imported = await workspace.run(['bank', 'import', statement.camt053, '--account', 'operating']);
    if (imported.code !== 0) throw new Error(`bank import exited ${imported.code}: ${imported.stderr}`);
    for (const asOf of ['2026-04-16', '2026-04-30'])
      transit[asOf] = await workspace.run(['transit', '--as-of', asOf, '--json']);
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('gives each payout and top-up the state, age, amount and bank line written by hand, on the 16th and at the month end', () => {
    expect(transit['2026-04-16']!.code, transit['2026-04-16']!.stderr).toBe(1);
    expect(asTruth(transit['2026-04-16']!)).toEqual(AS_OF_04_16);
    expect(transit['2026-04-30']!.code, transit['2026-04-30']!.stderr).toBe(1);
    expect(asTruth(transit['2026-04-30']!)).toEqual(AS_OF_04_30);
  });

  // Each item a bank line settled had its bank leg booked (Dr bank / Cr its clearing account, on the line's day) when
  // the statement was imported, so on any day clearing holds what is still on its way: the items neither matched nor closed.
  it("shows in the report's clearing accounts the sum of the open items, on the 16th and at the month end, and the rest in the bank", async () => {
    const open = (asOf: string, kind: string) =>
      (JSON.parse(transit[asOf]!.stdout) as TransitJson).items
        .filter((item) => item.kind === kind && item.state !== 'matched' && item.state !== 'closed')
        .reduce((total, item) => total + parseMicros(item.amount), 0n);
    // By hand: on the 16th, the payouts of 80.00 (late), 95.00 (differs) and 60.00 (cleared), the 40.50 top-up (late);
    // at the month end the 80.00 arrived (line of 04-17). The bank: 120.00 in, 100.00 out, then 80.00 in.
    const byHand = { '2026-04-16': ['235.00', '-40.50', '20.00'], '2026-04-30': ['155.00', '-40.50', '100.00'] };
    for (const [asOf, [payouts, topups, bank]] of Object.entries(byHand)) {
      expect([formatMicros(open(asOf, 'payout')), formatMicros(-open(asOf, 'topup'))]).toEqual([payouts, topups]);
      const written = await workspace.run(['report', '--from', '2026-04-01', '--to', asOf, '--out', `to-${asOf}.html`]);
      expect(written.code, written.stderr).toBe(0);
      const page = readFileSync(join(workspace.dir, `to-${asOf}.html`), 'utf8');
      const net = (account: string) => new RegExp(`data-account="${account}" data-net="([^"]*)"`).exec(page)?.[1];
      expect([net('payout_clearing_paypal'), net('topup_clearing'), net('bank')]).toEqual([payouts, topups, bank]);
    }
    const again = await workspace.run(['bank', 'import', camt053, '--account', 'operating', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, seenBefore: true, bankLegsBooked: 0 });
  });

  it('records each change of state at night with its evidence, and alerts a late or differing item once: a second night appends and alerts nothing', async () => {
    const night = async (day: string) => {
      await setSandboxDay(sandbox, day);
      const run = await workspace.run(['schedule', '--once']);
      const states = (await readBooks(workspace.ledger, (books) => books.rows('transit_states', 'id'))) as {
        item_id: string;
        state: string;
        as_of: string;
        bank_line_id: string | null;
        statement_sha256: string | null;
        document_id: string | null;
      }[];
      return {
        code: run.code,
        stderr: run.stderr,
        late: alerted('late_'),
        differing: alerted('differing_'),
        states: states.map((row) => [
          row.item_id,
          row.state,
          row.as_of,
          row.bank_line_id !== null && row.statement_sha256 !== null,
        ]),
      };
    };
    const first = await night('2026-04-16');
    expect([first.code, first.late], first.stderr).toEqual([1, [topup('2026-04-08'), payout('2026-04-08')]]);
    // Both figures and the difference, named once.
    expect(first.differing).toEqual([
      `payout ${payout('2026-04-10')} of 95.00 USD, reported 2026-04-10, differs from its bank line ${bankLine(payout('2026-04-10'))}: 92.50 arrived on 2026-04-12, 2.50 less`,
    ]);
    expect(first.states).toEqual([
      [topup('2026-04-03'), 'matched', '2026-04-16', true],
      [payout('2026-04-03'), 'matched', '2026-04-16', true],
      [topup('2026-04-08'), 'late', '2026-04-16', false],
      [payout('2026-04-08'), 'late', '2026-04-16', false],
      [payout('2026-04-10'), 'differs', '2026-04-16', true],
      [payout('2026-04-14'), 'cleared', '2026-04-16', false],
    ]);
    const again = await night('2026-04-16');
    expect([again.code, again.late, again.differing, again.states], again.stderr).toEqual([
      0,
      first.late,
      first.differing,
      first.states,
    ]);
    const monthEnd = await night('2026-04-30');
    expect([monthEnd.code, monthEnd.late, monthEnd.differing], monthEnd.stderr).toEqual([
      1,
      [...first.late, payout('2026-04-14')],
      first.differing,
    ]);
    expect(monthEnd.states.slice(first.states.length)).toEqual([
      [payout('2026-04-08'), 'matched', '2026-04-30', true],
      [payout('2026-04-14'), 'late', '2026-04-30', false],
    ]);
  });

  it('books the 2.50 the bank kept of the short payout only when a person accepts it, once, and closes the item', async () => {
    const short = payout('2026-04-10');
    const line = (JSON.parse(transit['2026-04-30']!.stdout) as TransitJson).items.find(
      (item) => item.id === short,
    )!.match!;
    const tooLong = await workspace.run(['transit', 'accept', short, '--note', 'x'.repeat(200)]);
    expect([tooLong.code, tooLong.stderr]).toEqual([2, expect.stringContaining("--note makes the entry's reason")]);
    const accepted = await workspace.run(['transit', 'accept', short, '--note', 'network fee']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('Dr bank_fees 2.50 USD, Cr payout_clearing_paypal 2.50 USD');
    expect(accepted.stdout).toContain(`what its bank line moved left clearing for the bank: je:bank-leg:${short}\n`);
    const again = await workspace.run(['transit', 'accept', short]);
    expect([again.code, again.stdout]).toEqual([0, `${short} was accepted already; nothing more is booked\n`]);
    const after = await workspace.run(['transit', '--as-of', '2026-04-30', '--json']);
    expect(asTruth(after).find(([id]) => id === short)).toEqual([
      short,
      'closed',
      20,
      '95.00',
      ['2026-04-12', '92.50'],
    ]);
    const [entries, balances] = await readBooks(
      workspace.ledger,
      async (books) =>
        [
          (await books.rows('journal_entries', 'seq')) as { source_id: string; date: string; description: string }[],
          await books.balances(),
        ] as const,
    );
    const adjusting = entries.filter((entry) => entry.source_id === 'adjustments');
    expect(adjusting.map((entry) => [entry.date, entry.description])).toEqual([
      [
        '2026-04-12',
        `Adjusting entry: transit ${short} accepted: bank line ${line.bankLine} of 92.50 on 2026-04-12 against 95.00 USD; network fee`,
      ],
    ]);
    // One bank leg per settled item, the accepted one's of the 92.50 the bank moved, dated its line's day.
    expect(
      entries
        .filter((entry) => entry.source_id === 'operating')
        .map((entry) => [entry.date, entry.description.split(' ').slice(0, 2).join(' ')]),
    ).toEqual([
      ['2026-04-04', `Top-up ${topup('2026-04-03')}`],
      ['2026-04-05', `Payout ${payout('2026-04-03')}`],
      ['2026-04-17', `Payout ${payout('2026-04-08')}`],
      ['2026-04-12', `Payout ${short}`],
    ]);
    // Clearing holds only the open items (the 60.00 payout, the 40.50 top-up); the bank what arrived: 120.00 − 100.00 + 80.00 + 92.50.
    expect([
      balances['payout_clearing_paypal'],
      balances['topup_clearing'],
      balances['bank_fees'],
      balances['bank'],
    ]).toEqual(['60.00', '-40.50', '2.50', '192.50']);
  });

  /** What the alerts sent so far said of each item of a kind (late_…: its id; differing_…: the whole message), in order (alerts.json holds each alert's JSON, a line each). */
  function alerted(kind: string): string[] {
    const path = join(workspace.dir, 'alerts.json');
    if (!existsSync(path)) return [];
    const alerts = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((text) => JSON.parse(text) as { items: { kind: string; message: string }[] });
    const items = alerts.flatMap((alert) => alert.items.filter((item) => item.kind.startsWith(kind)));
    return items.map((item) => (kind === 'late_' ? item.message.split(' ')[1]! : item.message));
  }

  /** The bank line that transit as of the month end names for an item. */
  function bankLine(itemId: string): string {
    return (JSON.parse(transit['2026-04-30']!.stdout) as TransitJson).items.find((item) => item.id === itemId)!.match!
      .bankLine!;
  }
});
