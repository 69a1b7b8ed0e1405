import { lastDayOfMonth } from '../calendar/index.js';
import { baseCents, type ExchangeRateLookup } from '../destinations/index.js';
import { formatCents, parseScaled } from '../money/index.js';
import {
  foldedEntry,
  inclusiveTax,
  ledgerLineTaxes,
  lineTaxCodes,
  parseTaxRate,
  reverseChargeLegs,
  taxPeriodTotals,
  VAT_INPUT_ACCOUNT,
  VAT_OUTPUT_ACCOUNT,
  type RenderedEntry,
  type TaxBook,
  type TaxPeriodTotal,
} from '../rules/index.js';
import type { LedgerReads } from './books/ledger-reads.js';

/** The UK return's nine boxes, as decimal text in the ledger's currency. */
export type VatBoxes = Record<'1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9', string>;

export interface VatReturn {
  period: string;
  from: string;
  to: string;
  currency: string;
  boxes: VatBoxes;
  /** Entries of the period in another currency with no rate to convert them at, not in the boxes. */
  otherCurrencies: string[];
}

/** `2026-Q1` → 2026-01-01 to 2026-03-31; `2026-03` → the month; undefined for anything else. */
export function vatPeriod(period: string): { from: string; to: string } | undefined {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (quarter === null && month === null) return undefined;
  const year = Number((quarter ?? month)![1]);
  const first = quarter === null ? Number(month![2]) : (Number(quarter[2]) - 1) * 3 + 1;
  const last = quarter === null ? first : first + 2;
  return { from: `${year}-${String(first).padStart(2, '0')}-01`, to: lastDayOfMonth(year, last) };
}

/**
 * The UK VAT return's nine boxes from the ledger's own tax lines (issue 70), for entries dated in the period and in
 * the ledger's currency: box 1 the VAT on `vat_output` (credits, a reverse charge's output leg included), box 4 the
 * VAT on `vat_input`, box 3 = 1 + 2, box 5 = 3 − 4; box 6 the net of the coded sales lines plus the value of the
 * reverse-charged services received, box 7 the net of the coded purchase lines (reverse-charged ones included);
 * boxes 2, 8 and 9 (EU goods, Northern Ireland only) are 0.00. Worked: 100.00 of services reverse-charged at 20 %
 * → boxes 1 20.00, 4 20.00, 5 0.00, 6 100.00, 7 100.00; 76.79 of ad revenue at 20 % → box 1 12.80, box 6 63.99.
 */
export async function vatReturn(
  reads: Pick<LedgerReads, 'journal'>,
  book: TaxBook | undefined,
  options: VatPeriodOptions,
): Promise<VatReturn> {
  const { sums, otherCurrencies } = await ledgerTaxSums(reads, book, options);
  const box5 = sums.output - sums.input;
  return {
    period: options.period,
    from: options.from,
    to: options.to,
    currency: options.currency,
    boxes: {
      '1': formatCents(sums.output),
      '2': formatCents(0n),
      '3': formatCents(sums.output),
      '4': formatCents(sums.input),
      '5': formatCents(box5),
      '6': formatCents(sums.sales),
      '7': formatCents(sums.purchases),
      '8': formatCents(0n),
      '9': formatCents(0n),
    },
    otherCurrencies,
  };
}

/** The period a return covers, the ledger's currency its boxes are in, and the rates other currencies convert at. */
export interface VatPeriodOptions {
  period: string;
  from: string;
  to: string;
  currency: string;
  /** The rates `post` converts with (`destinations.rates`): an entry in another currency counts converted by them. */
  rates?: ExchangeRateLookup | undefined;
}

/**
 * What every region's return is made of, in cents of the ledger's currency: the tax on `vat_output` (credits, a
 * reverse charge's output leg included) and on `vat_input`, the net of the coded sales lines (a reverse-charged
 * service's value included, as UK box 6 counts it) and of the coded purchase lines, and the reverse charges' own
 * value and output leg, which a region that does not count them as sales (Australia's G1) takes back out.
 */
export interface LedgerTaxSums {
  output: bigint;
  input: bigint;
  sales: bigint;
  purchases: bigint;
  reverseCharged: bigint;
  reverseChargeTax: bigint;
  /** The net of the coded sales and purchase lines at a rate of 0 (zero-rated: no tax in them). */
  zeroRatedSales: bigint;
  zeroRatedPurchases: bigint;
}

/**
 * The tax sums of the entries dated in the period, in the ledger's currency: an entry in another currency counts as
 * its journal goes out (inBaseCurrency), and one with no rate for its currency and date is left out and named.
 */
export async function ledgerTaxSums(
  reads: Pick<LedgerReads, 'journal'>,
  book: TaxBook | undefined,
  options: VatPeriodOptions,
): Promise<{ sums: LedgerTaxSums; otherCurrencies: string[] }> {
  const sums: LedgerTaxSums = {
    output: 0n,
    input: 0n,
    sales: 0n,
    purchases: 0n,
    reverseCharged: 0n,
    reverseChargeTax: 0n,
    zeroRatedSales: 0n,
    zeroRatedPurchases: 0n,
  };
  const otherCurrencies = new Set<string>();
  for await (const entry of reads.journal.renderedEntries({ from: options.from, to: options.to })) {
    const currency = entry.lines[0]?.currency ?? options.currency;
    if (currency === options.currency) addEntry(sums, entry, book);
    else {
      const found = options.rates?.(currency, entry.date);
      if (found === undefined) otherCurrencies.add(currency);
      else addEntry(sums, inBaseCurrency(entry, found.rate, options.currency, book), book);
    }
  }
  return { sums, otherCurrencies: [...otherCurrencies].sort() };
}

/**
 * The coded lines of the period per code (the return's detail, as the console's VAT page shows it), in the ledger's
 * currency, an entry in another currency converted as the boxes count it; a code of the chart's rules per month:
 * 2026-03 INPUT2, 3 lines, 150.56 gross, 25.09 of tax. Empty without tax rules.
 */
export async function taxPerCode(
  reads: Pick<LedgerReads, 'journal'>,
  book: TaxBook | undefined,
  options: VatPeriodOptions,
): Promise<TaxPeriodTotal[]> {
  if (book === undefined) return [];
  const taxed: { date: string; taxes: ReturnType<typeof ledgerLineTaxes> }[] = [];
  for await (const entry of reads.journal.renderedEntries({ from: options.from, to: options.to })) {
    const currency = entry.lines[0]?.currency ?? options.currency;
    const found = currency === options.currency ? undefined : options.rates?.(currency, entry.date);
    if (currency !== options.currency && found === undefined) continue;
    const counted = found === undefined ? entry : inBaseCurrency(entry, found.rate, options.currency, book);
    taxed.push({ date: entry.date, taxes: ledgerLineTaxes(counted, book.chart, book.flows) });
  }
  return taxPeriodTotals(taxed);
}

/**
 * An entry in another currency as the return counts it (issue 70): as its journal goes out to a destination in the
 * ledger's currency (the tie-out's asSent), its VAT lines folded into their lines, converted at the rate (baseCents,
 * balanced to the cent), then each coded line split again as the destination splits it, the tax inside the converted
 * line. Worked: Dr smm_services_expense 0.75 + Dr vat_input 0.15 USD is the 0.90 USD line, 0.71 GBP at 0.79, whose
 * tax at 20 % is 0.12 (0.71 × 20 / 120): Dr 0.59 net, Dr vat_input 0.12 GBP, not the 0.15 USD of the ledger's line.
 */
function inBaseCurrency(entry: RenderedEntry, rate: string, base: string, book: TaxBook | undefined): RenderedEntry {
  const folded = foldedEntry(entry);
  const cents = baseCents(folded, { currency: entry.lines[0]?.currency ?? base, base, rate, source: '' });
  const sent = folded.lines
    .map((line, index) => ({ ...line, currency: base, cents: cents[index] ?? 0n }))
    .filter((line) => line.cents !== 0n);
  const codes = book === undefined ? [] : lineTaxCodes({ ...entry, lines: sent }, book.chart, book.flows);
  const lines = sent.flatMap((line, index) => {
    const code = codes[index];
    if (code?.rate === undefined || book === undefined) return [line];
    // A VAT line is coded by none: on an entry that kept its lines' treatment (issue 82), it says so.
    const untaxed = line.tax === undefined ? {} : { tax: null };
    const vat = (account: string, cents: bigint) => (cents === 0n ? [] : [{ ...line, ...untaxed, account, cents }]);
    if (code.reverseCharge === true) {
      const legs = reverseChargeLegs(line.cents, code.rate);
      return [line, ...vat(VAT_INPUT_ACCOUNT, legs.input), ...vat(VAT_OUTPUT_ACCOUNT, legs.output)];
    }
    const tax = inclusiveTax(line.cents, code.rate);
    const account = book.revenue.has(line.account) ? VAT_OUTPUT_ACCOUNT : VAT_INPUT_ACCOUNT;
    return [{ ...line, cents: line.cents - tax }, ...vat(account, tax)];
  });
  return { ...entry, lines };
}

/** One entry's VAT lines and coded lines into the sums (credits to output VAT and to sales counted positive). */
function addEntry(sums: LedgerTaxSums, entry: RenderedEntry, book: TaxBook | undefined): void {
  for (const line of entry.lines) {
    if (line.account === VAT_OUTPUT_ACCOUNT) sums.output -= line.cents;
    if (line.account === VAT_INPUT_ACCOUNT) sums.input += line.cents;
  }
  if (book === undefined) return;
  // The coded lines of an entry that booked its tax are its net lines (a reverse charge's, the whole line).
  lineTaxCodes(entry, book.chart, book.flows).forEach((code, index) => {
    const line = entry.lines[index];
    if (code?.rate === undefined || line === undefined) return;
    const zeroRated = parseTaxRate(code.rate) === 0n;
    if (book.revenue.has(line.account)) {
      sums.sales -= line.cents;
      if (zeroRated) sums.zeroRatedSales -= line.cents;
    } else {
      sums.purchases += line.cents;
      if (zeroRated) sums.zeroRatedPurchases += line.cents;
    }
    if (code.reverseCharge !== true) return;
    sums.sales += line.cents;
    sums.reverseCharged += line.cents;
    // The output leg as bookTax booked it, a credit counted positive.
    sums.reverseChargeTax -= reverseChargeLegs(line.cents, code.rate).output;
  });
}

/** What each UK box is, as `vat` and the console's VAT page name it. */
export const VAT_BOX_NAMES: Readonly<Record<keyof VatBoxes, string>> = {
  '1': 'VAT due on sales and other outputs',
  '2': 'VAT due on acquisitions of goods from the EU',
  '3': 'total VAT due (1 + 2)',
  '4': 'VAT reclaimed on purchases and other inputs',
  '5': 'net VAT to pay (3 − 4; negative: to reclaim)',
  '6': 'total sales and other outputs, excluding VAT',
  '7': 'total purchases and other inputs, excluding VAT',
  '8': 'supplies of goods to the EU',
  '9': 'acquisitions of goods from the EU',
};

/**
 * The boxes as `vat` prints them, as HMRC's form takes them: "Box 1  VAT due on sales and other outputs  10.85";
 * box 5 the difference of 3 and 4 as a positive figure saying who pays whom (box 3 5.85, box 4 7.00 → "HMRC repays
 * you 1.15"); boxes 6 to 9 in whole pounds, the pence left out (VAT Notice 700/12), the books' figure named beside
 * (54.25 → "54  (54.25 in the books)").
 */
export function renderVatReturn(vat: VatReturn): string {
  const lines = [`VAT return ${vat.period} (${vat.from} to ${vat.to}), ${vat.currency}, from the ledger's tax lines`];
  const net = parseScaled(vat.boxes['5'], 2);
  for (const box of Object.keys(VAT_BOX_NAMES) as (keyof VatBoxes)[]) {
    if (box === '5') {
      const who = net < 0n ? 'net VAT to reclaim: HMRC repays you (4 − 3)' : 'net VAT to pay: you pay HMRC (3 − 4)';
      lines.push(`  Box 5  ${who.padEnd(48)} ${formatCents(net < 0n ? -net : net).padStart(12)}`);
    } else if (WHOLE_POUND_BOXES.includes(box)) {
      const books = vat.boxes[box];
      const whole = String(wholePounds(books));
      const beside = `${whole}.00` === books ? '' : `  (${books} in the books)`;
      lines.push(`  Box ${box}  ${VAT_BOX_NAMES[box].padEnd(48)} ${whole.padStart(12)}${beside}`);
    } else lines.push(`  Box ${box}  ${VAT_BOX_NAMES[box].padEnd(48)} ${vat.boxes[box].padStart(12)}`);
  }
  if (vat.otherCurrencies.length > 0)
    lines.push(
      `entries in ${vat.otherCurrencies.join(', ')} are not in these boxes: no rate converts them to ${vat.currency} (destinations.rates)`,
    );
  return `${lines.join('\n')}\n`;
}

/** The boxes HMRC takes in whole pounds: 6 to 9, the values excluding VAT. */
const WHOLE_POUND_BOXES: readonly (keyof VatBoxes)[] = ['6', '7', '8', '9'];

/**
 * A figure in whole pounds as HMRC takes boxes 6 to 9: the pence left out ("you should leave out the pence", VAT
 * Notice 700/12), so toward zero: 54.25 → 54, 54.99 → 54, −4.78 → −4.
 */
function wholePounds(figure: string): bigint {
  return parseScaled(figure, 2) / 100n;
}

/** HMRC's periodKey: four letters, digits or '#' ("26A1", "18AD", "#001"), as its obligations endpoint gives it. */
export const MTD_PERIOD_KEY = /^[0-9A-Za-z#]{4}$/;

/**
 * The return as the body of HMRC's MTD VAT API (`POST /organisations/vat/{vrn}/returns`), as JSON text: the
 * periodKey HMRC gave, boxes 1 to 4 in pounds and pence, box 5 as `netVatDue` (the difference of 3 and 4, never
 * negative), boxes 6 to 9 in whole pounds (the pence left out), `finalised: true`. The amounts are JSON numbers
 * written from the decimal text, never through a float. Worked: boxes 1 10.85, 4 0.95, 6 54.25, 7 4.78 →
 * vatDueSales 10.85, netVatDue 9.90, totalValueSalesExVAT 54, totalValuePurchasesExVAT 4.
 */
export function mtdReturnBody(vat: VatReturn, periodKey: string): string {
  const net = parseScaled(vat.boxes['5'], 2);
  const fields: [string, string][] = [
    ['periodKey', JSON.stringify(periodKey)],
    ['vatDueSales', vat.boxes['1']],
    ['vatDueAcquisitions', vat.boxes['2']],
    ['totalVatDue', vat.boxes['3']],
    ['vatReclaimedCurrPeriod', vat.boxes['4']],
    ['netVatDue', formatCents(net < 0n ? -net : net)],
    ['totalValueSalesExVAT', String(wholePounds(vat.boxes['6']))],
    ['totalValuePurchasesExVAT', String(wholePounds(vat.boxes['7']))],
    ['totalValueGoodsSuppliedExVAT', String(wholePounds(vat.boxes['8']))],
    ['totalAcquisitionsExVAT', String(wholePounds(vat.boxes['9']))],
    ['finalised', 'true'],
  ];
  return `{\n${fields.map(([name, value]) => `  "${name}": ${value}`).join(',\n')}\n}\n`;
}

/** Who pays whom on the return: box 5 as a positive figure, "you pay HMRC 9.90" or "HMRC repays you 1.15". */
export function whoPaysWhom(vat: VatReturn): string {
  const net = parseScaled(vat.boxes['5'], 2);
  return net < 0n ? `HMRC repays you ${formatCents(-net)}` : `you pay HMRC ${formatCents(net)}`;
}
