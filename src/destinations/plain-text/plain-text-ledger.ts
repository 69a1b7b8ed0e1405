import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { addDays } from '../../calendar/index.js';
import type { JournalEntry } from '../../rules/index.js';
import { formatMicros } from '../../money/index.js';
import { openingPostings, type OpeningBalance, type OpeningPosting } from './opening-postings.js';

export const PLAIN_TEXT_FORMATS = ['hledger', 'beancount'] as const;
export type PlainTextFormat = (typeof PLAIN_TEXT_FORMATS)[number];

/** The five account types every chart uses, and the top-level names each tool gives them. */
const ROOTS: Record<PlainTextFormat, Record<string, string>> = {
  hledger: { asset: 'assets', liability: 'liabilities', equity: 'equity', revenue: 'income', expense: 'expenses' },
  beancount: { asset: 'Assets', liability: 'Liabilities', equity: 'Equity', revenue: 'Income', expense: 'Expenses' },
};

/** hledger's account type tags (`account assets:cash  ; type: A`) for the chart's types. */
const HLEDGER_TYPES: Readonly<Record<string, string>> = {
  asset: 'A',
  liability: 'L',
  equity: 'E',
  revenue: 'R',
  expense: 'X',
};

/** A source's reported balance at a close, asserted on the account its kind holds the source's money in. */
export interface BalanceAssertion {
  sourceId: string;
  /** The source's balance account, as its kind declares it: panel_prepaid for a panel. */
  account: string;
  /** The close's day: the balance holds at the end of it. */
  date: string;
  valueMicros: bigint;
  currency: string;
}

export interface PlainTextLedgerOptions {
  format: PlainTextFormat;
  /** The chart's type of each ledger account (asset, liability, equity, revenue, expense). */
  accountTypes: Readonly<Record<string, string>>;
  /** Every (source, account) the entries use and the first day it is used: beancount opens each. */
  accountsInUse: readonly { sourceId: string; account: string; firstDate: string }[];
  /** In book order (date, source, id), read one at a time. */
  entries: AsyncIterable<JournalEntry>;
  /** Each source's reported balance at each close, asserted on that source's balance account. */
  balanceAssertions: readonly BalanceAssertion[];
  out: Writable;
  /**
   * Each line's tax code (issue 54), written as a posting tag: hledger `; tax:INPUT2`, Beancount metadata
   * `tax: "INPUT2"`. Left out, nothing of tax is written.
   */
  taxCodes?: (entry: JournalEntry) => readonly (string | undefined)[];
  /**
   * A window that starts after the books do (`export --from`): its first day and each source's balances before it,
   * written as one opening transaction dated that day (openingPostings), so the window's balance assertions and the
   * tools' checks hold on the window alone. Left out, or with nothing to open, nothing is written of it.
   */
  opening?: { date: string; balances: readonly OpeningBalance[] };
}

/** The equity account a window's opening transaction is against: equity:opening_balances, Equity:Opening-balances. */
const OPENING_ACCOUNT = 'opening_balances';

/**
 * A plain-text ledger that hledger or Beancount checks on its own: every
 * entry with its date, description and id, amounts exact (0.27819, never
 * rounded), each account per source (assets:panel_prepaid:smm-panel), and the
 * panels' own reported balances as balance assertions, so the tools verify
 * that ledgerline's books agree with what the panels said. Assertions come
 * after all entries: both tools sort by date, so an entry a replay appended
 * later for an earlier day is still counted before that day's assertion.
 *
 *   2026-03-31 * SMM panel order charges  ; entry: je:smm-panel:2026-03-31:1
 *       expenses:smm_services_expense:smm-panel    0.04551 USD
 *       assets:panel_prepaid:smm-panel    -0.04551 USD
 */
export async function writePlainTextLedger(
  options: PlainTextLedgerOptions,
): Promise<{ entries: number; assertions: number }> {
  const { format, out } = options;
  const name = (account: string, sourceId: string) =>
    accountName(format, options.accountTypes[account] ?? 'asset', account, sourceId);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    format === 'hledger'
      ? '; ledgerline journal, exact amounts; check with: hledger -f FILE check --strict\n\n'
      : '; ledgerline journal, exact amounts; check with: bean-check FILE\n\n',
  );
  const opening =
    options.opening === undefined
      ? []
      : openingPostings(options.opening.balances, options.accountTypes, OPENING_ACCOUNT);
  // Every account is declared (hledger's `account`, Beancount's `open`), so the tools' strict checks pass:
  // `hledger check --strict` refuses a posting to an account or a commodity nobody declared.
  const declared = declaredAccounts(options, opening);
  for (const used of declared) {
    const account = name(used.account, used.sourceId);
    await write(
      format === 'hledger'
        ? `account ${account}  ; type: ${HLEDGER_TYPES[options.accountTypes[used.account] ?? 'asset'] ?? 'A'}\n`
        : `${used.firstDate} open ${account}\n`,
    );
  }
  if (opening.some((posting) => posting.sourceId === undefined))
    await write(
      format === 'hledger'
        ? `account ${openingName(format)}  ; type: E\n`
        : `${options.opening!.date} open ${openingName(format)}\n`,
    );
  if (declared.length > 0 || opening.length > 0) await write('\n');
  if (opening.length > 0) await write(openingTransaction(format, options.opening!.date, opening, name));
  const currencies = new Set([
    ...options.balanceAssertions.map((assertion) => assertion.currency),
    ...opening.map((posting) => posting.currency),
  ]);
  let entries = 0;
  for await (const entry of options.entries) {
    entries += 1;
    for (const line of entry.lines) currencies.add(line.currency);
    const lines =
      format === 'hledger'
        ? [`${entry.date} * ${hledgerText(entry.description)}  ; entry: ${entry.id}`]
        : [`${entry.date} * ${beancountString(entry.description)}`, `  entry: ${beancountString(entry.id)}`];
    const codes = options.taxCodes?.(entry) ?? [];
    entry.lines.forEach((line, index) => {
      const posting = `    ${name(line.account, entry.sourceId)}  ${formatMicros(line.amountMicros)} ${line.currency}`;
      lines.push(...postingWithTax(format, posting, codes[index]));
    });
    await write(`${lines.join('\n')}\n\n`);
  }
  for (const assertion of options.balanceAssertions) {
    const account = name(assertion.account, assertion.sourceId);
    const balance = `${formatMicros(assertion.valueMicros)} ${assertion.currency}`;
    // hledger checks an assertion where it stands in the day; Beancount's balance holds at the start of its date.
    await write(
      format === 'hledger'
        ? `${assertion.date} * ${assertion.sourceId} reported balance at its close\n    ${account}  0 ${assertion.currency} = ${balance}\n\n`
        : `${addDays(assertion.date, 1)} balance ${account} ${balance}\n`,
    );
  }
  // Written last, once every currency has been seen; hledger reads directives wherever they stand.
  if (format === 'hledger') for (const currency of [...currencies].sort()) await write(`commodity ${currency}\n`);
  return { entries, assertions: options.balanceAssertions.length };
}

/**
 * The accounts the file uses, each with the first day it is used: those of the window's entries, those of the
 * panels' balance assertions, and those the opening transaction opens (from the window's first day on).
 */
function declaredAccounts(
  options: PlainTextLedgerOptions,
  opening: readonly OpeningPosting[],
): { sourceId: string; account: string; firstDate: string }[] {
  const declared = [
    ...options.accountsInUse.map((used) => ({ ...used })),
    ...options.balanceAssertions
      .filter(
        (assertion) =>
          !options.accountsInUse.some(
            (used) => used.sourceId === assertion.sourceId && used.account === assertion.account,
          ),
      )
      .map((assertion) => ({
        sourceId: assertion.sourceId,
        account: assertion.account,
        firstDate: assertion.date,
      })),
  ];
  for (const posting of opening) {
    const { sourceId } = posting;
    if (sourceId === undefined) continue;
    const openedOn = options.opening!.date;
    const known = declared.find((used) => used.sourceId === sourceId && used.account === posting.account);
    if (known === undefined) declared.push({ sourceId, account: posting.account, firstDate: openedOn });
    else if (openedOn < known.firstDate) known.firstDate = openedOn;
  }
  return declared;
}

/** The window's opening transaction, dated its first day: written before its entries, which both tools then count after it. */
function openingTransaction(
  format: PlainTextFormat,
  date: string,
  postings: readonly OpeningPosting[],
  name: (account: string, sourceId: string) => string,
): string {
  const lines = [
    format === 'hledger'
      ? `${date} * Opening balances: the books before ${date}`
      : `${date} * ${beancountString(`Opening balances: the books before ${date}`)}`,
    ...postings.map((posting) => {
      const account = posting.sourceId === undefined ? openingName(format) : name(posting.account, posting.sourceId);
      return `    ${account}  ${formatMicros(posting.amountMicros)} ${posting.currency}`;
    }),
  ];
  return `${lines.join('\n')}\n\n`;
}

function openingName(format: PlainTextFormat): string {
  const root = ROOTS[format]['equity']!;
  return format === 'hledger' ? `${root}:${OPENING_ACCOUNT}` : `${root}:${beancountComponent(OPENING_ACCOUNT)}`;
}

/**
 * A posting with its tax code: hledger's tag in the posting's comment (`…  0.90 USD  ; tax:REVERSECHARGES`, a
 * comma would end the tag's value), Beancount's metadata on the line under it (`      tax: "REVERSECHARGES"`).
 */
function postingWithTax(format: PlainTextFormat, posting: string, code: string | undefined): string[] {
  if (code === undefined) return [posting];
  if (format === 'hledger') return [`${posting}  ; tax:${hledgerText(code).replace(/,/g, ' ')}`];
  return [posting, `      tax: ${beancountString(code)}`];
}

/** assets:panel_prepaid:smm-panel for hledger; Assets:Panel-prepaid:Smm-panel for Beancount, whose names start with a capital and use no "_". */
function accountName(format: PlainTextFormat, type: string, account: string, sourceId: string): string {
  const root = ROOTS[format][type] ?? ROOTS[format]['asset']!;
  if (format === 'hledger') return `${root}:${account}:${sourceId}`;
  return `${root}:${beancountComponent(account)}:${beancountComponent(sourceId)}`;
}

function beancountComponent(text: string): string {
  const dashed = text.replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(dashed) ? `${dashed[0]!.toUpperCase()}${dashed.slice(1)}` : `X${dashed}`;
}

/** A description on one line, without the ";" that would start a comment. */
function hledgerText(text: string): string {
  return text.replace(/[\r\n;]+/g, ' ').trim() || '(no description)';
}

function beancountString(text: string): string {
  return `"${text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')}"`;
}
