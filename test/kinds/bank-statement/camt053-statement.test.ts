import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLedgerline } from '../../support/cli.js';

/**
 * A camt.053 file of several statements, one a day, as banks deliver a period (ING, Rabobank, the German banks): each
 * <Stmt> has its own balances before its entries. 11-02 opens at 1,000.00, the rent −100.00, closes at 900.00;
 * 11-03 opens at 900.00, a customer +50.00, closes at 950.00. The file opens at 1,000.00 (the earliest statement's
 * opening) and closes at 950.00 on 11-03 (the latest's closing), not at the first statement's 900.00. A bank that
 * writes the opening as PRCD (the previous closing) instead of OPBD gives no opening: it is the closing less what
 * the lines moved, 950.00 − (−50.00) = 1,000.00, which the first statement's closing would make 950.00.
 */
const statement = (day: string, opening: string, openingCode: string, closing: string, entry: string) => `
  <Stmt>
   <Id>STMT-${day}</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>${day}T20:00:00+01:00</CreDtTm>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>${openingCode}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>
${entry}
  </Stmt>`;
const entry = (id: string, day: string, amount: string, side: string, text: string) => `   <Ntry>
    <Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${side}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>${day}</Dt></BookgDt><ValDt><Dt>${day}</Dt></ValDt><AcctSvcrRef>${id}</AcctSvcrRef>
    <NtryDtls><TxDtls><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls>
   </Ntry>`;
const twoDays = (openingCode: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M-2026-11-03</MsgId><CreDtTm>2026-11-03T20:00:00</CreDtTm></GrpHdr>${statement(
    '2026-11-02',
    '1000.00',
    openingCode,
    '900.00',
    entry('R1', '2026-11-02', '100.00', 'DBIT', 'MIETE BUERO'),
  )}${statement('2026-11-03', '900.00', openingCode, '950.00', entry('R2', '2026-11-03', '50.00', 'CRDT', 'KUNDE 4711'))}
 </BkToCstmrStmt>
</Document>
`;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function workspace(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-camt053-statement-'));
  made.push(dir);
  mkdirSync(join(dir, 'data'));
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    'ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: EUR\nsources:\n' +
      '  - { id: main-bank, kind: bank-statement, accountNumber: DE89370400440532013000 }\n',
  );
  writeFileSync(join(dir, 'statement.xml'), text);
  return dir;
}

const run = (dir: string, args: string[]) => runLedgerline(args, { cwd: dir });

describe('a camt.053 file of a statement a day', { timeout: 60_000 }, () => {
  it.each([['OPBD'], ['PRCD']])(
    'with its openings written %s: opens at 1000.00 and closes at 950.00 on the latest day',
    async (openingCode) => {
      const dir = workspace(twoDays(openingCode));
      const imported = await run(dir, ['bank', 'import', 'statement.xml', '--account', 'main-bank', '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({
        opening: { action: 'booked', amount: '1000.00', date: '2026-11-01' },
      });
      const transit = await run(dir, ['transit', '--as-of', '2026-11-04']);
      expect(transit.stdout, transit.stderr).toContain(
        "! bank account main-bank: the statement closes 2026-11-03 at 950.00 EUR, the ledger's bank holds 1000.00 that day: 50.00 more than the bank",
      );
    },
  );
});
