import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStatementText } from '../../support/bank-statement-workspace.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * Statements shaped as real banks write them (the structures of the public fixtures the widely used importers
 * test against: a German direct-debit batch, a Swiss QR batch, an OFX 1.02 file with a bank's own tags), each
 * read into the lines those importers give, written here by hand. Example: python's camt importers and
 * beancount's give the 664.05 batch as two transactions, 564.05 and 100.00, each with its creditor and text.
 */
const tempDir = useTempDir();
const read = (name: string, text: string) => readStatementText(join(tempDir(), name), text);

const camt = (
  version: string,
  account: string,
  currency: string,
  entries: string,
) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>STMT-2026-11</MsgId><CreDtTm>2026-11-06T06:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>2026-11-05</Id>
   <Acct><Id>${account}</Id><Ccy>${currency}</Ccy><Ownr><Id><OrgId><Othr><Id>CUSTOMER-77</Id></Othr></OrgId></Id></Ownr></Acct>
   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">10000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-05</Dt></Dt></Bal>
${entries}
  </Stmt>
 </BkToCstmrStmt>
</Document>
`;

/** A German bank's collective direct debit: one entry of 664.05, two debits (camt.053.001.02, amounts in AmtDtls/TxAmt). */
const DIRECT_DEBIT_BATCH = `   <Ntry>
    <Amt Ccy="EUR">664.05</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-11-05</Dt></BookgDt><ValDt><Dt>2026-11-05</Dt></ValDt>
    <AcctSvcrRef>2026110512345</AcctSvcrRef>
    <BkTxCd><Prtry><Cd>NDDT+105+9248+992</Cd><Issr>ZKA</Issr></Prtry></BkTxCd>
    <NtryDtls>
     <Btch><NbOfTxs>2</NbOfTxs></Btch>
     <TxDtls>
      <Refs><EndToEndId>STROM-2026-11-0042</EndToEndId><MndtId>M-88120</MndtId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">564.05</Amt></TxAmt></AmtDtls>
      <RltdPties><Cdtr><Nm>Stadtwerke Musterstadt</Nm></Cdtr><CdtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></CdtrAcct></RltdPties>
      <RmtInf><Ustrd>Abschlag Strom 11/2026</Ustrd></RmtInf>
     </TxDtls>
     <TxDtls>
      <Refs><EndToEndId>NOTPROVIDED</EndToEndId><MndtId>V-4471</MndtId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">100.00</Amt></TxAmt></AmtDtls>
      <RltdPties><Cdtr><Nm>Muster Versicherung AG</Nm></Cdtr></RltdPties>
      <RmtInf><Ustrd>Beitrag 11/2026 Vertrag 4471</Ustrd></RmtInf>
     </TxDtls>
    </NtryDtls>
    <AddtlNtryInf>SAMMEL-LASTSCHRIFT</AddtlNtryInf>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">312.40</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-11-05</Dt></BookgDt>
    <AcctSvcrRef>2026110512346</AcctSvcrRef>
    <NtryDtls><TxDtls><RmtInf><Ustrd>PAYPAL TRANSFER PAYELANCER 4421</Ustrd></RmtInf></TxDtls></NtryDtls>
    <AddtlNtryInf>GUTSCHRIFT</AddtlNtryInf>
   </Ntry>`;

/**
 * A Swiss bank's QR-bill credits: one entry of 3,483.00, two payments of 1,296.00 and 2,187.00 (camt.053.001.04,
 * InstdAmt and TxAmt, the debtor under Pty on .08, the creditor reference in Strd); the entry has no id of its own,
 * each transaction its bank reference.
 */
const SWISS_BATCH = `   <Ntry>
    <NtryRef>CH-BATCH-7</NtryRef>
    <Amt Ccy="CHF">3483.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-11-05</Dt></BookgDt><ValDt><Dt>2026-11-05</Dt></ValDt>
    <NtryDtls>
     <Btch><NbOfTxs>2</NbOfTxs><TtlAmt Ccy="CHF">3483.00</TtlAmt></Btch>
     <TxDtls>
      <Refs><AcctSvcrRef>20261105001800000000001</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
      <AmtDtls><InstdAmt><Amt Ccy="CHF">1296.00</Amt></InstdAmt><TxAmt><Amt Ccy="CHF">1296.00</Amt></TxAmt></AmtDtls>
      <RltdPties><Dbtr><Nm>Pia Muster</Nm></Dbtr></RltdPties>
      <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>210000000003139471430009017</Ref></CdtrRefInf></Strd></RmtInf>
     </TxDtls>
     <TxDtls>
      <Refs><AcctSvcrRef>20261105001800000000002</AcctSvcrRef></Refs>
      <AmtDtls><InstdAmt><Amt Ccy="CHF">2187.00</Amt></InstdAmt></AmtDtls>
      <RltdPties><Dbtr><Nm>Muster Treuhand GmbH</Nm></Dbtr></RltdPties>
      <RmtInf><Strd><CdtrRefInf><Ref>210000000003139471430009025</Ref></CdtrRefInf></Strd></RmtInf>
     </TxDtls>
    </NtryDtls>
    <AddtlNtryInf>Sammelgutschrift QR-Rechnung</AddtlNtryInf>
   </Ntry>`;

/** An OFX 1.02 file as one bank writes it: an empty CURDEF, its own VALUEDATE and CATEGORY, a CURRENCY per transaction, an empty FITID, ACCTBAL. */
const OFX_WITH_BANK_TAGS = `OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261106120000[-3:BRT]<LANGUAGE>POR</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1>
<STMTTRNRS>
<TRNUID>1
<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS>
<CURDEF>
<BANKACCTFROM>
<BANKID>0341
<ACCTID>7307-12345-6
<ACCTTYPE>CHECKING
</BANKACCTFROM>
<BANKTRANLIST>
<DTSTART>20261101
<DTEND>20261105
<STMTTRN>
<TRNTYPE>DEBIT
<DTPOSTED>20261102120000[-3:BRT]
<VALUEDATE>20261102
<TRNAMT>-45.90
<FITID>
<CATEGORY>
<NAME>CARD 4411 SMMPANEL
<MEMO>Compra cartao
<CURRENCY>EUR
</STMTTRN>
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>20261103120000[-3:BRT]
<VALUEDATE>20261104
<TRNAMT>1200.00
<FITID>20261103-88
<CATEGORY>Transfers
<CURRENCY><CURRATE>1.0<CURSYM>EUR</CURRENCY>
<NAME>PAYPAL TRANSFER PAYELANCER 4421
</STMTTRN>
<STMTTRN>
<TRNTYPE>DEBIT
<DTPOSTED>20261104120000[-3:BRT]
<TRNAMT>-12.00
<FITID>20261104-90
<ORIGCURRENCY><CURRATE>5.40<CURSYM>BRL</ORIGCURRENCY>
<NAME>TARIFA
<CURRENCY>EUR
</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>4142.10<DTASOF>20261105</LEDGERBAL>
<ACCTBAL><BALAMT>4142.10<DTASOF>20261105</ACCTBAL>
</STMTRS>
</STMTTRNRS>
</BANKMSGSRSV1>
</OFX>
`;

describe('camt.053 batch entries', () => {
  it('lands the 664.05 direct-debit batch as its two debits, 564.05 and 100.00, each with its creditor and text, the entry id beside them', async () => {
    const { lines, facts } = await read(
      'de.xml',
      camt('02', '<IBAN>DE89370400440532013000</IBAN>', 'EUR', DIRECT_DEBIT_BATCH),
    );
    expect(
      lines.map(({ lineId, amountMicros, reference, description, entryReference }) => ({
        lineId,
        amountMicros,
        reference,
        description,
        entryReference,
      })),
    ).toEqual([
      {
        lineId: '2026110512345/1',
        amountMicros: -564_050_000n,
        reference: 'Abschlag Strom 11/2026',
        description: 'Stadtwerke Musterstadt SAMMEL-LASTSCHRIFT',
        entryReference: '2026110512345',
      },
      {
        lineId: '2026110512345/2',
        amountMicros: -100_000_000n,
        reference: 'Beitrag 11/2026 Vertrag 4471',
        description: 'Muster Versicherung AG SAMMEL-LASTSCHRIFT',
        entryReference: '2026110512345',
      },
      {
        lineId: '2026110512346',
        amountMicros: 312_400_000n,
        reference: 'PAYPAL TRANSFER PAYELANCER 4421',
        description: 'GUTSCHRIFT',
        entryReference: undefined,
      },
    ]);
    expect(lines.every((line) => line.bookedOn === '2026-11-05' && line.currency === 'EUR')).toBe(true);
    expect(facts).toEqual({
      accounts: ['DE89370400440532013000'],
      notes: [],
      balances: { currency: 'EUR', opening: { amountMicros: 10_000_000_000n, on: '2026-11-05' }, closing: null },
    });
  });

  it('lands the Swiss 3,483.00 batch as 1,296.00 and 2,187.00 from their debtors, each under its own bank reference', async () => {
    const { lines, facts } = await read('ch.xml', camt('04', '<IBAN>CH9300762011623852957</IBAN>', 'CHF', SWISS_BATCH));
    expect(lines).toEqual([
      {
        lineId: 'CH-BATCH-7/1',
        bookedOn: '2026-11-05',
        amountMicros: 1_296_000_000n,
        currency: 'CHF',
        reference: '210000000003139471430009017',
        description: 'Pia Muster Sammelgutschrift QR-Rechnung',
        entryReference: 'CH-BATCH-7',
      },
      {
        lineId: 'CH-BATCH-7/2',
        bookedOn: '2026-11-05',
        amountMicros: 2_187_000_000n,
        currency: 'CHF',
        reference: '210000000003139471430009025',
        description: 'Muster Treuhand GmbH Sammelgutschrift QR-Rechnung',
        entryReference: 'CH-BATCH-7',
      },
    ]);
    expect(facts.accounts).toEqual(['CH9300762011623852957']);
  });

  it('keeps a batch whose parts do not add up to its entry (a charge taken from it) as the one entry, and says so', async () => {
    const short = SWISS_BATCH.replace(
      '<Amt Ccy="CHF">3483.00</Amt><CdtDbtInd>',
      '<Amt Ccy="CHF">3480.50</Amt><CdtDbtInd>',
    );
    const { lines, facts } = await read(
      'ch-charged.xml',
      camt('04', '<Othr><Id>0123-456789</Id></Othr>', 'CHF', short),
    );
    expect(lines.map((line) => [line.lineId, line.amountMicros])).toEqual([['CH-BATCH-7', 3_480_500_000n]]);
    expect(facts.accounts).toEqual(['0123-456789']);
    expect(facts.notes).toEqual([
      expect.stringMatching(
        /^the batch <Ntry> at line \d+ \(3480\.50 CHF\): its 2 transactions do not add up to it in CHF, so it landed as one line$/,
      ),
    ]);
  });
});

describe("an OFX file with a bank's own tags", () => {
  it('reads every transaction, skips VALUEDATE, CATEGORY and ACCTBAL with one note, honours CURRENCY and gives the empty FITID a content id', async () => {
    const { lines, facts } = await read('bank.ofx', OFX_WITH_BANK_TAGS);
    expect(
      lines.map(({ bookedOn, amountMicros, currency, reference, description }) => ({
        bookedOn,
        amountMicros,
        currency,
        reference,
        description,
      })),
    ).toEqual([
      {
        bookedOn: '2026-11-02',
        amountMicros: -45_900_000n,
        currency: 'EUR',
        reference: 'Compra cartao',
        description: 'CARD 4411 SMMPANEL Compra cartao',
      },
      {
        bookedOn: '2026-11-03',
        amountMicros: 1_200_000_000n,
        currency: 'EUR',
        reference: '',
        description: 'PAYPAL TRANSFER PAYELANCER 4421',
      },
      // ORIGCURRENCY: the amount is already in the transaction's currency; the original (BRL) does not change it.
      { bookedOn: '2026-11-04', amountMicros: -12_000_000n, currency: 'EUR', reference: '', description: 'TARIFA' },
    ]);
    expect(lines[0]!.lineId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines.slice(1).map((line) => line.lineId)).toEqual(['20261103-88', '20261104-90']);
    expect(facts.accounts).toEqual(['7307-12345-6']);
    expect(facts.notes).toHaveLength(1);
    const lineOf = (tag: string) => OFX_WITH_BANK_TAGS.split('\n').findIndex((row) => row.startsWith(tag)) + 1;
    expect(facts.notes[0]).toBe(
      `skipped tags outside the OFX banking vocabulary: <VALUEDATE> (first at line ${lineOf('<VALUEDATE>')}), <CATEGORY> (first at line ${lineOf('<CATEGORY>')}), <ACCTBAL> (first at line ${lineOf('<ACCTBAL>')})`,
    );
  });

  it('reads the same file written as OFX 2.x XML, every tag closed, to the same lines', async () => {
    const sgml = await read('bank.ofx', OFX_WITH_BANK_TAGS);
    const xml = OFX_WITH_BANK_TAGS.split('\n')
      .map((row) =>
        row.replace(/^<([A-Z.]+)>([^<]+)$/, '<$1>$2</$1>').replace(/^<(CURDEF|FITID|CATEGORY)>$/, '<$1></$1>'),
      )
      .join('\n')
      .replace(/<(CODE|SEVERITY|DTSERVER|LANGUAGE|CURRATE|CURSYM|BALAMT|DTASOF)>([^<]+)/g, '<$1>$2</$1>');
    const closed = await read(
      'bank-2.ofx',
      xml.replace(/^OFXHEADER[\s\S]*?\n\n/, '<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n'),
    );
    expect(closed.lines).toEqual(sgml.lines);
  });
});
