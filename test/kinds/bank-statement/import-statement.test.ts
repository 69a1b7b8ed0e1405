import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  camt053Text,
  csvStatementText,
  ofxText,
  type SandboxStatement,
} from '../../../sandbox/bank/statement-writers.js';
import { runLedgerline, type CliRun } from '../../support/cli.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * `ledgerline bank import`: three lines (a payout in, a top-up out, a fee of 1.00 twice on one day for the
 * CSV without ids) landed once whatever the format, and a file that does not read refused whole with its place.
 */
const STATEMENT: SandboxStatement = {
  account: 'DE89370400440532013000',
  currency: 'EUR',
  from: '2026-11-01',
  to: '2026-11-30',
  lines: [
    {
      id: 'B881',
      bookedOn: '2026-11-16',
      amountMicros: 312_400_000n,
      currency: 'EUR',
      reference: 'payout ad-net 2026-11-14',
      description: 'PAYELANCER LTD',
    },
    {
      id: 'B882',
      bookedOn: '2026-11-17',
      amountMicros: -50_000_000n,
      currency: 'EUR',
      reference: 'top-up smm 4471',
      description: 'CARD PAYMENT SMM PANEL',
    },
    {
      id: 'B883',
      bookedOn: '2026-11-18',
      amountMicros: -1_000_000n,
      currency: 'EUR',
      reference: 'fee',
      description: 'ACCOUNT FEE',
    },
  ],
};
const CONFIG = [
  'ledger: data/ledger.sqlite',
  'timezone: UTC',
  'currency: EUR',
  'sources:',
  '  - id: main-bank',
  '    kind: bank-statement',
  '    csv: { date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details }',
  '',
].join('\n');

const tempDir = useTempDir();
let dir: string;
beforeEach(() => {
  dir = tempDir();
  writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
});

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

async function bankImport(
  file: string,
  flags: string[] = [],
): Promise<CliRun & { landed?: { read: number; added: number; seenBefore: boolean; format: string } }> {
  const run = await runLedgerline(['bank', 'import', file, '--account', 'main-bank', '--json', ...flags], { cwd: dir });
  return run.code === 0
    ? { ...run, landed: JSON.parse(run.stdout) as { read: number; added: number; seenBefore: boolean; format: string } }
    : run;
}

const { fresh } = useLedgerEngines();

describe.each(LEDGER_ENGINES)('ledgerline bank import on %s', (engine) => {
  it('lands a statement once: the same file imported twice adds nothing the second time', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    const file = write('nov.xml', camt053Text(STATEMENT));
    const first = await bankImport(file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.landed).toMatchObject({ format: 'camt.053', read: 3, added: 3, seenBefore: false });
    const second = await bankImport(file);
    expect(second.landed).toMatchObject({ read: 3, added: 0, seenBefore: true });
  });

  it('seals nothing when the same file is imported again: the seals stay where they were and verify names nothing', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    const file = write('nov.xml', camt053Text(STATEMENT));
    const head = async () => {
      const verify = await runLedgerline(['verify', '--json'], { cwd: dir });
      expect(verify.code, verify.stdout).toBe(0);
      return (JSON.parse(verify.stdout) as { tables: { head: unknown } }).tables.head;
    };
    expect((await bankImport(file)).landed).toMatchObject({ added: 3 });
    const before = await head();
    expect((await bankImport(file)).landed).toMatchObject({ read: 3, added: 0, seenBefore: true });
    expect(await head()).toEqual(before);
  });

  it('--dry-run reads and checks a statement and writes nothing: the same file imported after it is new', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    expect((await bankImport(write('nov.xml', camt053Text(STATEMENT)))).landed).toMatchObject({ added: 3 });
    const refund = { ...STATEMENT.lines[0]!, id: 'B884', amountMicros: 20_000_000n, reference: 'refund' };
    const more = write('more.xml', camt053Text({ ...STATEMENT, lines: [...STATEMENT.lines, refund] }));
    const dry = await bankImport(more, ['--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.landed).toMatchObject({ read: 4, added: 0, dryRun: true });
    // Neither the file's row nor its new line was written: the real import finds both new.
    expect((await bankImport(more)).landed).toMatchObject({ read: 4, added: 1, seenBefore: false });
  });

  it('seals every line a statement adds as verify recomputes them: all new, one held before, one given twice (exit 0)', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    // The first file's lines are all new (sealed off the staging alone), the others' not (sealed off the join).
    const line = (id: string, amount: bigint) => ({ ...STATEMENT.lines[0]!, id, amountMicros: amount });
    const allNew = [line('b1', 1_000_000n), line('B2', 2_000_000n), line('B10', 3_000_000n), line('a3', 4_000_000n)];
    const oneHeld = [line('B2', 2_000_000n), line('A7', 5_000_000n), line('a6', 6_000_000n)];
    const twice = [line('c5', 7_000_000n), line('C4', 8_000_000n), line('c5', 7_000_000n)];
    const landed = [];
    for (const [name, lines] of [
      ['all-new.xml', allNew],
      ['one-held.xml', oneHeld],
      ['twice.xml', twice],
    ] as const)
      landed.push((await bankImport(write(name, camt053Text({ ...STATEMENT, lines: [...lines] })))).landed);
    expect(landed).toMatchObject([
      { read: 4, added: 4 },
      { read: 3, added: 2 },
      { read: 3, added: 2 },
    ]);
    const verify = await runLedgerline(['verify', '--json'], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout).message).toContain('seals of the tables beside the journal verified');
  });
});

describe.each(LEDGER_ENGINES)('ledgerline bank import checks a statement against its account on %s', (engine) => {
  it('refuses a line id the account holds with another amount, naming both, and keeps nothing of the file', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    expect((await bankImport(write('nov.xml', camt053Text(STATEMENT)))).landed).toMatchObject({ added: 3 });
    const extra = {
      id: 'B884',
      bookedOn: '2026-11-19',
      amountMicros: 20_000_000n,
      currency: 'EUR',
      reference: 'refund',
      description: 'SHOP',
    };
    const changed = {
      ...STATEMENT,
      lines: [
        ...STATEMENT.lines.map((line) => (line.id === 'B882' ? { ...line, amountMicros: -55_000_000n } : line)),
        extra,
      ],
    };
    const run = await bankImport(write('nov-changed.xml', camt053Text(changed)));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        'nov-changed.xml, line B882: this file has -55.00 EUR on 2026-11-17, the account holds it from an earlier statement as -50.00 EUR on 2026-11-17; nothing of the file was imported',
      ),
    ]);
    // Nothing of the refused file was kept: its new line B884 is still new.
    expect((await bankImport(write('b884.xml', camt053Text({ ...STATEMENT, lines: [extra] })))).landed).toMatchObject({
      read: 1,
      added: 1,
    });
  });
});

describe.each(LEDGER_ENGINES)('ledgerline bank import refuses a line the file gives twice on %s', (engine) => {
  it('names the line of the least id, each column at its latest and its earliest, a changed line the account holds first, and keeps nothing', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    const line = (id: string, bookedOn: string, amountMicros: bigint) => ({
      ...STATEMENT.lines[0]!,
      id,
      bookedOn,
      amountMicros,
    });
    const lines = [
      line('Z9', '2026-11-17', -50_000_000n),
      line('X5', '2026-11-18', 5_000_000n),
      line('Z9', '2026-11-19', -55_000_000n),
      line('X5', '2026-11-12', 7_000_000n),
      line('X5', '2026-11-20', 3_000_000n),
    ];
    const run = await bankImport(write('twice.xml', camt053Text({ ...STATEMENT, lines })));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        'twice.xml, line X5: this file has 7.00 EUR on 2026-11-20, the same file gives it elsewhere as 3.00 EUR on 2026-11-12; nothing of the file was imported',
      ),
    ]);
    expect((await bankImport(write('nov.xml', camt053Text(STATEMENT)))).landed).toMatchObject({ added: 3 });
    // A file with a line given twice and a line the account holds with other money is refused for the held line.
    const both = [
      line('Q1', '2026-11-17', 1_000_000n),
      line('Q1', '2026-11-17', 2_000_000n),
      { ...STATEMENT.lines[1]!, amountMicros: 9_000_000n },
    ];
    const held = await bankImport(write('both.xml', camt053Text({ ...STATEMENT, lines: both })));
    expect(held.code).toBe(2);
    expect(held.stderr).toContain(
      'both.xml, line B882: this file has 9.00 EUR on 2026-11-17, the account holds it from an earlier statement as -50.00 EUR on 2026-11-17',
    );
    expect((await bankImport(write('q1.xml', camt053Text({ ...STATEMENT, lines: [both[0]!] })))).landed).toMatchObject({
      added: 1,
    });
  });
});

describe.each(LEDGER_ENGINES)('ledgerline bank import refuses a statement of another account on %s', (engine) => {
  it('for a line the account holds with other money first, else for the account, and keeps nothing', async () => {
    const url = await fresh(engine);
    if (url !== undefined) writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
    expect((await bankImport(write('nov.xml', camt053Text(STATEMENT)))).landed).toMatchObject({ added: 3 });
    const other = { ...STATEMENT, account: 'GB29NWBK60161331926819' };
    const q1 = { ...STATEMENT.lines[0]!, id: 'Q1' };
    const held = await bankImport(
      write('held.xml', camt053Text({ ...other, lines: [q1, { ...STATEMENT.lines[1]!, amountMicros: 9_000_000n }] })),
    );
    expect(held.code).toBe(2);
    expect(held.stderr).toContain('held.xml, line B882: this file has 9.00 EUR on 2026-11-17, the account holds it');
    const twice = await bankImport(
      write('twice.xml', camt053Text({ ...other, lines: [q1, { ...q1, amountMicros: 1n }] })),
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("twice.xml, the statement's account: the file is of account GB29NWBK60161331926819");
    expect((await bankImport(write('q1.xml', camt053Text({ ...STATEMENT, lines: [q1] })))).landed).toMatchObject({
      added: 1,
    });
  });
});

describe('ledgerline bank import checks a statement against its account', () => {
  it('refuses a line in another currency than the account is kept in, naming the line and both currencies, and keeps nothing', async () => {
    const lines = STATEMENT.lines.map((line) => (line.id === 'B882' ? { ...line, currency: 'USD' } : line));
    const file = write('usd.xml', camt053Text({ ...STATEMENT, lines }));
    // A dry run only reads, and reads refuse a ledger path with nothing there (issue 72): the ledger exists first.
    expect((await runLedgerline(['migrate'], { cwd: dir })).code).toBe(0);
    // A dry run refuses it alike: the check is normalize's, not the write's.
    for (const run of [await bankImport(file, ['--dry-run']), await bankImport(file)]) {
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(
          'usd.xml, line B882: -50.00 USD on 2026-11-17 is in USD, and main-bank is kept in EUR; nothing of the file was imported',
        ),
      ]);
    }
    expect((await bankImport(write('nov.xml', camt053Text(STATEMENT)))).landed).toMatchObject({ added: 3 });
  });

  it('refuses a statement of another account than ledgerline.yaml names, naming both', async () => {
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      CONFIG.replace('kind: bank-statement', 'kind: bank-statement\n    accountNumber: "DE89 3704 0044 0532 0130 00"'),
    );
    const run = await bankImport(write('other.ofx', ofxText({ ...STATEMENT, account: 'DE44500105175407324931' }, 1)));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        "other.ofx, the statement's account: the file is of account DE44500105175407324931, and main-bank is DE89 3704 0044 0532 0130 00 (what ledgerline.yaml names for main-bank); nothing of the file was imported",
      ),
    ]);
    expect((await bankImport(write('nov.ofx', ofxText(STATEMENT, 1)))).landed).toMatchObject({ added: 3 });
  });

  it('remembers the account its first statement named and refuses a later statement of another', async () => {
    expect((await bankImport(write('nov.xml', camt053Text(STATEMENT)))).landed).toMatchObject({ added: 3 });
    const run = await bankImport(
      write(
        'dec.xml',
        camt053Text({ ...STATEMENT, account: 'DE44500105175407324931', lines: [{ ...STATEMENT.lines[0]!, id: 'C1' }] }),
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'the file is of account DE44500105175407324931, and main-bank is DE89370400440532013000 (what its earlier statements name for main-bank)',
    );
  });
});

describe('ledgerline bank import', () => {
  it('reads OFX 1.x, OFX 2.x and CSV of the same lines; lines without ids are known by their content', async () => {
    for (const [name, text, format] of [
      ['nov-1.ofx', ofxText(STATEMENT, 1), 'ofx'],
      ['nov-2.ofx', ofxText(STATEMENT, 2), 'ofx'],
      ['nov.csv', csvStatementText(STATEMENT), 'csv'],
    ] as const) {
      const run = await bankImport(write(name, text));
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(run.landed).toMatchObject({ format, read: 3 });
    }
    // OFX 1.x and 2.x carry the same FITIDs: the second adds nothing; the CSV has no id column, so its lines are new.
    const again = await bankImport(write('nov-again.csv', csvStatementText(STATEMENT)));
    expect(again.landed).toMatchObject({ read: 3, added: 0, seenBefore: true });
  });

  it('refuses a truncated camt.053 naming the line and the open element, and keeps nothing of it', async () => {
    const whole = camt053Text(STATEMENT);
    const run = await bankImport(write('cut.xml', whole.slice(0, whole.indexOf('<AcctSvcrRef>B883'))));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cut\.xml, line \d+ column \d+ inside <[A-Za-z]+>: not well-formed XML/);
    expect(run.stderr).toContain('nothing of the file was imported');
    expect((await bankImport(write('whole.xml', whole))).landed).toMatchObject({ added: 3 });
  });

  it('refuses a camt.053 cut after three batches of lines were read, and keeps none of them', async () => {
    const lines = Array.from({ length: 1_600 }, (_, index) => ({
      ...STATEMENT.lines[0]!,
      id: `C${index}`,
      reference: `payout ${index}`,
    }));
    const whole = camt053Text({ ...STATEMENT, lines });
    const run = await bankImport(write('long-cut.xml', whole.slice(0, whole.indexOf('<AcctSvcrRef>C1550'))));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing of the file was imported');
    expect((await bankImport(write('long.xml', whole))).landed).toMatchObject({
      read: 1_600,
      added: 1_600,
      seenBefore: false,
    });
  });

  it("skips a bank's own OFX tag, lands every line and notes the tag once on stderr", async () => {
    const text = ofxText(STATEMENT, 1).replace(/<MEMO>/g, '<XMEMO>');
    const run = await runLedgerline(['bank', 'import', write('odd.ofx', text), '--account', 'main-bank'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 lines read, 3 new for main-bank');
    const line = text.split('\n').findIndex((row) => row.includes('<XMEMO>')) + 1;
    expect(run.stderr.trim()).toBe(
      `note: odd.ofx: skipped tags outside the OFX banking vocabulary: <XMEMO> (first at line ${line})`,
    );
  });

  it('refuses a CSV whose header lacks a column the map names, naming the key and the header', async () => {
    const run = await bankImport(write('renamed.csv', csvStatementText(STATEMENT).replace('Amount', 'Betrag')));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'renamed.csv, line 1 (the header): the column map\'s csv.amount names "Amount", which is not a column',
    );
    expect(run.stderr).toContain('"Betrag"');
  });

  it('refuses a CSV row whose amount does not read, naming its line and column, and keeps none of the rows before it', async () => {
    const run = await bankImport(write('bad.csv', csvStatementText(STATEMENT).replace('-50.00', '-5O.00')));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.csv, line 3, column "Amount": "-5O.00" is not an amount');
    expect((await bankImport(write('good.csv', csvStatementText(STATEMENT)))).landed).toMatchObject({ added: 3 });
  });
});
