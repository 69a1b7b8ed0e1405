import { formatMicros } from '../../src/money/index.js';

/** A line the sandbox's bank writes: money in positive, in micro-units. */
export interface SandboxBankLine {
  id: string;
  bookedOn: string;
  amountMicros: bigint;
  currency: string;
  reference: string;
  description: string;
}

export interface SandboxStatement {
  account: string;
  currency: string;
  from: string;
  to: string;
  lines: readonly SandboxBankLine[];
  /** The balance before the first line and after the last (camt OPBD/CLBD, OFX LEDGERBAL, a CSV's Balance column), when the bank states them. */
  balances?: { openingMicros: bigint; closingMicros: bigint };
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unsigned = (micros: bigint) => formatMicros(micros < 0n ? -micros : micros);

/** The statement as ISO 20022 camt.053.001.08, one <Ntry> per line, AcctSvcrRef its id. */
export function camt053Text(statement: SandboxStatement): string {
  const entries = statement.lines.map(
    (line) => `      <Ntry>
        <Amt Ccy="${line.currency}">${unsigned(line.amountMicros)}</Amt>
        <CdtDbtInd>${line.amountMicros < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${line.bookedOn}</Dt></BookgDt>
        <ValDt><Dt>${line.bookedOn}</Dt></ValDt>
        <AcctSvcrRef>${escape(line.id)}</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>${escape(line.reference)}</Ustrd></RmtInf></TxDtls></NtryDtls>
        <AddtlNtryInf>${escape(line.description)}</AddtlNtryInf>
      </Ntry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>sandbox-${statement.account}-${statement.to}</MsgId><CreDtTm>${statement.to}T23:59:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${statement.account}-${statement.from}</Id>
      <FrToDt><FrDtTm>${statement.from}T00:00:00</FrDtTm><ToDtTm>${statement.to}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id>${accountId(statement.account)}</Id><Ccy>${statement.currency}</Ccy></Acct>
${camtBalances(statement)}${entries.join('\n')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}

/** An IBAN as <IBAN>, any other account number as <Othr><Id>. */
function accountId(account: string): string {
  return /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(account)
    ? `<IBAN>${account}</IBAN>`
    : `<Othr><Id>${escape(account)}</Id></Othr>`;
}

/** The opening (OPBD, on the first day) and closing (CLBD, on the last) booked balances, when the statement states them. */
function camtBalances(statement: SandboxStatement): string {
  if (statement.balances === undefined) return '';
  const balance = (code: string, micros: bigint, on: string) =>
    `      <Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${statement.currency}">${unsigned(micros)}</Amt><CdtDbtInd>${micros < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${on}</Dt></Dt></Bal>\n`;
  return (
    balance('OPBD', statement.balances.openingMicros, statement.from) +
    balance('CLBD', statement.balances.closingMicros, statement.to)
  );
}

/** The statement as OFX: version 1 is 1.0.2 SGML (leaf end tags left out, as banks write it), version 2 is 2.2 XML. */
export function ofxText(statement: SandboxStatement, version: 1 | 2): string {
  const leaf = (tag: string, value: string) =>
    version === 1 ? `<${tag}>${escape(value)}` : `<${tag}>${escape(value)}</${tag}>`;
  const compact = (date: string) => date.replace(/-/g, '');
  const transactions = statement.lines.map((line) =>
    [
      '<STMTTRN>',
      leaf('TRNTYPE', line.amountMicros < 0n ? 'DEBIT' : 'CREDIT'),
      leaf('DTPOSTED', `${compact(line.bookedOn)}120000.000[0:UTC]`),
      leaf('TRNAMT', formatMicros(line.amountMicros)),
      leaf('FITID', line.id),
      leaf('NAME', line.description),
      leaf('MEMO', line.reference),
      '</STMTTRN>',
    ].join('\n'),
  );
  const header =
    version === 1
      ? 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n'
      : '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n';
  return `${header}<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS>${leaf('CODE', '0')}${leaf('SEVERITY', 'INFO')}</STATUS>${leaf('DTSERVER', `${compact(statement.to)}235900`)}${leaf('LANGUAGE', 'ENG')}</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS>${leaf('TRNUID', '1')}<STATUS>${leaf('CODE', '0')}${leaf('SEVERITY', 'INFO')}</STATUS>
<STMTRS>${leaf('CURDEF', statement.currency)}
<BANKACCTFROM>${leaf('BANKID', 'SANDBOX')}${leaf('ACCTID', statement.account)}${leaf('ACCTTYPE', 'CHECKING')}</BANKACCTFROM>
<BANKTRANLIST>${leaf('DTSTART', compact(statement.from))}${leaf('DTEND', compact(statement.to))}
${transactions.join('\n')}
</BANKTRANLIST>
${statement.balances === undefined ? '' : `<LEDGERBAL>${leaf('BALAMT', formatMicros(statement.balances.closingMicros))}${leaf('DTASOF', `${compact(statement.to)}235959`)}</LEDGERBAL>\n`}</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
`;
}

/**
 * The statement as CSV, for a `csv:` map of date: Date, amount: Amount, reference: Reference, description: Details, id: Id;
 * with a Balance column after each line when the statement states its balances.
 */
export function csvStatementText(statement: SandboxStatement): string {
  const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
  let balance = statement.balances?.openingMicros ?? 0n;
  const rows = statement.lines.map((line) => {
    balance += line.amountMicros;
    const row = [
      line.bookedOn,
      formatMicros(line.amountMicros),
      line.currency,
      quoted(line.reference),
      quoted(line.description),
      line.id,
    ];
    return (statement.balances === undefined ? row : [...row, formatMicros(balance)]).join(',');
  });
  return `Date,Amount,Currency,Reference,Details,Id${statement.balances === undefined ? '' : ',Balance'}\n${rows.join('\n')}\n`;
}
