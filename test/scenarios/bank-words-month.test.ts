import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { addBankWordsAccount } from '../support/bank-words-account.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import {
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

/**
 * April 2026 of a publisher paid on three dates and a panel topped up twice (transit-month's world, one payout
 * fewer), then a statement in the bank's own words: no line carries ledgerline's ids. By hand:
 *   04-01 RENT APRIL −800.00                                 → no item: a stray line
 *   04-03 payout 120.00   → 04-05 PAYPAL TRANSFER PAYELANCER 4421 +120.00           → matched by its words
 *         top-up 100.00   → 04-04 CARD 4411 SMMPANEL −100.00, CARD FEE 4411 −1.50    → matched; the fee line stray
 *   04-08 payout 80.00    → 04-10 PAYPAL TRANSFER PAYELANCER 5120 and … 5121, +80.00 each → ambiguous between them
 *         top-up 40.50    → 04-09 CARD 4412 SMMPANEL −42.00 (the card fee in the line) → differs by 1.50
 *   04-10 payout 95.00    → 04-13 PAYPAL TRANSFER PAYELANCER 6230 +92.50 (2.50 fee)   → differs by −2.50
 * Terms: the defaults (5 business days, 10-day window, 25.00 of tolerance), the kinds' own words.
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
      earnings: { '2026-04-01': '0.00', '2026-04-03': '120.00', '2026-04-08': '200.00', '2026-04-10': '295.00' },
    },
    advertiser: { spent: { '2026-04-01': '0.00' } },
  },
};
const NIGHTS = ['2026-04-01', '2026-04-03', '2026-04-08', '2026-04-10'];
const PAYOUT_DATES = ['2026-04-03', '2026-04-08', '2026-04-10'];

const payout = (day: string) => `payelancer:ads-publisher:payout:${day}`;
const topup = (day: string) => `panel:smm-panel:topup:${day}`;
const line = (id: string) => `operating:${id}`;

const STATEMENT = [
  'Date,Amount,Currency,Reference,Details,Id',
  '2026-04-01,-800.00,USD,RENT APRIL,STANDING ORDER,B-01',
  '2026-04-04,-100.00,USD,CARD 4411 SMMPANEL,CARD PAYMENT,B-02',
  '2026-04-04,-1.50,USD,CARD FEE 4411,FOREIGN CARD FEE,B-03',
  '2026-04-05,120.00,USD,PAYPAL TRANSFER PAYELANCER 4421,CREDIT,B-04',
  '2026-04-09,-42.00,USD,CARD 4412 SMMPANEL,CARD PAYMENT,B-05',
  '2026-04-10,80.00,USD,PAYPAL TRANSFER PAYELANCER 5120,CREDIT,B-06',
  '2026-04-10,80.00,USD,PAYPAL TRANSFER PAYELANCER 5121,CREDIT,B-07',
  '2026-04-13,92.50,USD,PAYPAL TRANSFER PAYELANCER 6230,CREDIT,B-08',
  '',
].join('\n');

interface TransitJson {
  items: {
    id: string;
    state: string;
    match: null | { amount: string; bankLine?: string; byHand?: true };
    candidates?: { bankLine: string }[];
  }[];
}
interface BankLinesJson {
  lines: {
    bankLine: string;
    reference: string;
    takenBy: null | { item: string; by: string };
    candidateOf?: string[];
  }[];
}

/** Each item as [id, state, its line or its candidates]. */
const states = (run: CliResult) =>
  (JSON.parse(run.stdout) as TransitJson).items.map((item) => [
    item.id,
    item.state,
    item.match?.bankLine ?? item.candidates?.map((candidate) => candidate.bankLine) ?? null,
  ]);
const stray = (run: CliResult) =>
  (JSON.parse(run.stdout) as BankLinesJson).lines.map((row) => [row.bankLine, row.reference, row.candidateOf ?? null]);

const { fresh } = useLedgerEngines();

describe.each(LEDGER_ENGINES)("a month of bank lines in the bank's own words on %s", (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const run: Record<string, CliResult> = {};

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(WORLD);
    workspace = await createWorkspace(sandbox, `bank-words-${engine}`, { ledger: () => fresh(engine) });
    addBankWordsAccount(workspace.dir, PAYOUT_DATES);
    for (const night of NIGHTS) {
      await setSandboxDay(sandbox, night);
      const synced = await workspace.syncDay(night);
      if (synced.code !== 0 && synced.code !== 1)
        throw new Error(`sync of ${night} exited ${synced.code}: ${synced.stderr}`);
    }
    await setSandboxDay(sandbox, '2026-04-30');
    writeFileSync(join(workspace.dir, 'april.csv'), STATEMENT);
    run['import'] = await workspace.run(['bank', 'import', 'april.csv', '--account', 'operating']);
    run['transit'] = await workspace.run(['transit', '--json']);
    run['unmatched'] = await workspace.run(['bank', 'lines', '--unmatched', '--json']);
  }, 90_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it("settles payouts and top-ups by the bank's words: exact ones matched, the fee-short payout and the card fee differ, two equal lines leave the payout ambiguous", () => {
    expect(run['import']!.code, run['import']!.stderr).toBe(0);
    expect(run['transit']!.code, run['transit']!.stderr).toBe(1);
    expect(states(run['transit']!)).toEqual([
      [topup('2026-04-03'), 'matched', line('B-02')],
      [payout('2026-04-03'), 'matched', line('B-04')],
      [topup('2026-04-08'), 'differs', line('B-05')],
      [payout('2026-04-08'), 'ambiguous', [line('B-06'), line('B-07')]],
      [payout('2026-04-10'), 'differs', line('B-08')],
    ]);
  });

  it('lists the lines no item took: the rent, the card fee booked apart, and the candidates still to choose from', () => {
    expect(run['unmatched']!.code, run['unmatched']!.stderr).toBe(1);
    expect(stray(run['unmatched']!)).toEqual([
      [line('B-01'), 'RENT APRIL', null],
      [line('B-03'), 'CARD FEE 4411', null],
      [line('B-06'), 'PAYPAL TRANSFER PAYELANCER 5120', [payout('2026-04-08')]],
      [line('B-07'), 'PAYPAL TRANSFER PAYELANCER 5121', [payout('2026-04-08')]],
    ]);
  });

  it("takes a person's match and unmatch, recorded with who and when, once; the differences accepted book the fees", async () => {
    const chosen = await workspace.run(['transit', 'match', payout('2026-04-08'), line('B-07')]);
    expect([chosen.code, chosen.stdout], chosen.stderr).toEqual([
      0,
      `matched by hand: ${payout('2026-04-08')} takes ${line('B-07')} (matched); its bank leg booked, the line's amount out of clearing to the bank: je:bank-leg:${payout('2026-04-08')}\n`,
    ]);
    const again = await workspace.run(['transit', 'match', payout('2026-04-08'), line('B-07')]);
    expect([again.code, again.stdout]).toEqual([
      0,
      `${payout('2026-04-08')} takes ${line('B-07')} already; nothing recorded\n`,
    ]);
    // Its bank leg is in the journal now: an unmatch books the leg's reversal (append-only), and the payout takes
    // the other line by rule, its own leg booked; a person's match takes B-07 back, reversing that one in turn.
    const letGoOfLeg = await workspace.run(['transit', 'unmatch', payout('2026-04-08')]);
    expect([letGoOfLeg.code, letGoOfLeg.stdout], letGoOfLeg.stderr).toEqual([
      0,
      `unmatched: ${payout('2026-04-08')} is matched now, with ${line('B-06')}; the bank leg of its earlier line reversed by je:bank-leg-reversal:1:${payout('2026-04-08')}; its bank leg booked, the line's amount out of clearing to the bank: je:bank-leg-again:2:${payout('2026-04-08')}\n`,
    ]);
    const takenBack = await workspace.run(['transit', 'match', payout('2026-04-08'), line('B-07')]);
    expect([takenBack.code, takenBack.stdout], takenBack.stderr).toEqual([
      0,
      `matched by hand: ${payout('2026-04-08')} takes ${line('B-07')} (matched); the bank leg of its earlier line reversed by je:bank-leg-reversal:2:${payout('2026-04-08')}; its bank leg booked, the line's amount out of clearing to the bank: je:bank-leg-again:3:${payout('2026-04-08')}\n`,
    ]);
    const legs = (await readBooks(workspace.ledger, (books) => books.rows('journal_entries', 'seq'))) as {
      id: string;
    }[];
    expect(legs.map((row) => row.id).filter((id) => id.endsWith(payout('2026-04-08')))).toEqual([
      `je:bank-leg:${payout('2026-04-08')}`,
      `je:bank-leg-reversal:1:${payout('2026-04-08')}`,
      `je:bank-leg-again:2:${payout('2026-04-08')}`,
      `je:bank-leg-reversal:2:${payout('2026-04-08')}`,
      `je:bank-leg-again:3:${payout('2026-04-08')}`,
    ]);
    const wrongWay = await workspace.run(['transit', 'match', topup('2026-04-08'), line('B-06')]);
    expect([wrongWay.code, wrongWay.stderr]).toEqual([
      2,
      expect.stringContaining(`line ${line('B-06')} is money in in USD, and a top-up takes money out in USD`),
    ]);
    // The card line let go, the top-up is late (the rules never give it B-05 again); matched by hand, it differs again.
    const letGo = await workspace.run(['transit', 'unmatch', topup('2026-04-08')]);
    expect([letGo.code, letGo.stdout], letGo.stderr).toEqual([0, `unmatched: ${topup('2026-04-08')} is late now\n`]);
    const back = await workspace.run(['transit', 'match', topup('2026-04-08'), line('B-05')]);
    expect([back.code, back.stdout], back.stderr).toEqual([
      0,
      `matched by hand: ${topup('2026-04-08')} takes ${line('B-05')} (differs); its bank leg is not booked: it and the difference wait for you ("ledgerline transit accept ${topup('2026-04-08')}")\n`,
    ]);
    const links = (await readBooks(workspace.ledger, (books) => books.rows('transit_links', 'id'))) as {
      item_id: string;
      action: string;
      line_id: string;
      os_user: string;
      at: string;
    }[];
    expect(links.map((row) => [row.item_id, row.action, row.line_id, row.os_user !== '' && row.at !== ''])).toEqual([
      [payout('2026-04-08'), 'match', 'B-07', true],
      [payout('2026-04-08'), 'unmatch', 'B-07', true],
      [payout('2026-04-08'), 'match', 'B-07', true],
      [topup('2026-04-08'), 'unmatch', 'B-05', true],
      [topup('2026-04-08'), 'match', 'B-05', true],
    ]);
    for (const [item, fee] of [
      [payout('2026-04-10'), 'Dr bank_fees 2.50 USD, Cr payout_clearing_paypal 2.50 USD'],
      [topup('2026-04-08'), 'Dr bank_fees 1.50 USD, Cr topup_clearing 1.50 USD'],
    ] as const) {
      const accepted = await workspace.run(['transit', 'accept', item, '--note', 'fee']);
      expect([accepted.code, accepted.stdout], accepted.stderr).toEqual([0, expect.stringContaining(fee)]);
    }
    const after = await workspace.run(['transit', '--json']);
    expect([after.code, states(after)], after.stderr).toEqual([
      0,
      [
        [topup('2026-04-03'), 'matched', line('B-02')],
        [payout('2026-04-03'), 'matched', line('B-04')],
        [topup('2026-04-08'), 'closed', line('B-05')],
        [payout('2026-04-08'), 'matched', line('B-07')],
        [payout('2026-04-10'), 'closed', line('B-08')],
      ],
    ]);
    const lines = await workspace.run(['bank', 'lines', '--json']);
    const taken = (JSON.parse(lines.stdout) as BankLinesJson).lines.map((row) => [
      row.bankLine,
      row.takenBy === null ? null : `${row.takenBy.item} by ${row.takenBy.by}`,
    ]);
    expect(taken).toEqual([
      [line('B-01'), null],
      [line('B-02'), `${topup('2026-04-03')} by rule`],
      [line('B-03'), null],
      [line('B-04'), `${payout('2026-04-03')} by rule`],
      [line('B-05'), `${topup('2026-04-08')} by hand`],
      [line('B-06'), null],
      [line('B-07'), `${payout('2026-04-08')} by hand`],
      [line('B-08'), `${payout('2026-04-10')} by rule`],
    ]);
    // What the bank settled, the ledger settles: each top-up's balance rise is acknowledged with its bank line, and close lists none.
    const close = await workspace.run(['close', '--period', '2026-04', '--json']);
    expect(close.stdout).not.toContain('balance_rise');
    const acks = (await readBooks(workspace.ledger, (books) => books.rows('acknowledgements', 'id'))) as {
      item_id: string;
      note: string;
    }[];
    expect(acks.filter((row) => row.item_id.includes('balance_rise')).map((row) => [row.item_id, row.note])).toEqual([
      [
        'finding:smm-panel:balance_rise:2026-04-03:2026-04-03',
        `top-up ${topup('2026-04-03')} settled by bank line ${line('B-02')} of -100.00 USD on 2026-04-04`,
      ],
      [
        'finding:smm-panel:balance_rise:2026-04-08:2026-04-08',
        `top-up ${topup('2026-04-08')} settled by bank line ${line('B-05')} of -42.00 USD on 2026-04-09`,
      ],
    ]);
  });

  it("checks a later statement's opening and the ledger's bank against the statement's closing balance: equal is quiet, off is a named item", async () => {
    // The account's first statement (the CSV) states no balance, so no opening was booked: a later one's is checked,
    // not booked. The legs booked: −100.00, +120.00, −42.00, +80.00, +92.50 → the ledger's bank holds 150.50.
    writeFileSync(join(workspace.dir, 'to-28.xml'), balancesOnly('0.00', '2026-04-01', '150.50', '2026-04-28'));
    const ties = await workspace.run(['bank', 'import', 'to-28.xml', '--account', 'operating']);
    expect([ties.code, ties.stdout], ties.stderr).toEqual([
      0,
      expect.stringContaining(
        "opening balance 0.00 USD (OPBD 0.00 on 2026-04-01) is what the ledger's bank holds through 2026-03-31",
      ),
    ]);
    const quiet = await workspace.run(['transit', '--json']);
    expect([quiet.code, 'bankBalancesOff' in JSON.parse(quiet.stdout)], quiet.stderr).toEqual([0, false]);
    // The bank's month end: an opening of 1,000.00 the ledger never held, and the rent and the card fee no item took.
    writeFileSync(join(workspace.dir, 'to-30.xml'), balancesOnly('1000.00', '2026-04-01', '349.00', '2026-04-30'));
    const differs = await workspace.run(['bank', 'import', 'to-30.xml', '--account', 'operating']);
    expect([differs.code, differs.stdout], differs.stderr).toEqual([
      1,
      expect.stringContaining(
        "! bank account operating: the statement opens at 1000.00 USD (OPBD 1000.00 on 2026-04-01), the ledger's bank holds 0.00 through 2026-03-31: 1000.00 the ledger does not hold",
      ),
    ]);
    const off = await workspace.run(['transit']);
    expect(off.code, off.stderr).toBe(1);
    expect(off.stdout).toContain(
      "! bank account operating: the statement closes 2026-04-30 at 349.00 USD, the ledger's bank holds 150.50 that day: 198.50 the ledger does not hold;",
    );
  });
});

/** A camt.053 of no entries with its opening (OPBD) and closing (CLBD) booked balances, as a bank writes a day's statement. */
function balancesOnly(opening: string, from: string, closing: string, to: string): string {
  const balance = (code: string, amount: string, day: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="USD">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>bank-${to}</MsgId><CreDtTm>${to}T23:59:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>US-OPERATING-${to}</Id>
      <Acct><Id><Othr><Id>US-OPERATING</Id></Othr></Id><Ccy>USD</Ccy></Acct>
      ${balance('OPBD', opening, from)}
      ${balance('CLBD', closing, to)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
