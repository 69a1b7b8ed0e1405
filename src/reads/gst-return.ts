import { divideHalfEven, formatCents, parseScaled } from '../money/index.js';
import type { TaxBook } from '../rules/index.js';
import type { LedgerReads } from './books/ledger-reads.js';
import {
  ledgerTaxSums,
  renderVatReturn,
  vatReturn,
  type LedgerTaxSums,
  type VatPeriodOptions,
  type VatReturn,
} from './vat-return.js';

/** The regions whose GST return `vat` makes besides the UK's VAT return. */
const GST_REGIONS = ['AU', 'NZ'] as const;
type GstRegion = (typeof GST_REGIONS)[number];

/** One box of a GST return: its number on the form, what the form calls it, the amount as decimal text. */
interface GstBox {
  box: string;
  label: string;
  amount: string;
}

export interface GstReturn {
  region: GstRegion;
  /** The form the boxes are of: Australia's BAS, New Zealand's GST101A. */
  form: 'BAS' | 'GST101A';
  period: string;
  from: string;
  to: string;
  currency: string;
  boxes: GstBox[];
  /** Entries of the period in another currency with no rate to convert them at, not in the boxes. */
  otherCurrencies: string[];
}

/**
 * Australia's BAS GST boxes from the ledger's tax lines (issue 70): G1 the sales including their GST (the coded
 * sales lines' net plus `vat_output` on them; a reverse-charged import is no sale, so neither its value nor its leg),
 * 1A all of `vat_output` (the ATO takes a reverse charge's GST at 1A), 1B all of `vat_input`, and 1A − 1B what is
 * payable (negative: refundable). Worked at 10 %: a sale of 110.00 → G1 110.00, 1A 10.00; a purchase of 55.00 →
 * 1B 5.00; a clawback of 22.00 → G1 −22.00, 1A −2.00; 1A − 1B = 8.00 − 5.00 = 3.00.
 */
function basBoxes(sums: LedgerTaxSums): GstBox[] {
  const g1 = sums.sales - sums.reverseCharged + sums.output - sums.reverseChargeTax;
  return [
    box('G1', 'total sales (GST included)', g1),
    box('1A', 'GST on sales', sums.output),
    box('1B', 'GST on purchases', sums.input),
    box('1A-1B', 'GST payable (1A − 1B; negative: refundable)', sums.output - sums.input),
  ];
}

/**
 * New Zealand's GST101A from the ledger's tax lines (issue 70): box 5 the sales and income including GST (the coded
 * sales lines' net, a reverse-charged service's value included, plus all of `vat_output`), box 6 the zero-rated
 * ones, box 8 the GST collected as the form derives it, 3/23 of box 7 (5 − 6), half-even to the cent; box 11 the
 * purchases and expenses including GST (zero-rated ones left out: they carry none), box 12 the GST credits, 3/23
 * of box 11; box 15 = 8 − 12, to pay (negative: refund). Worked at 15 %: a sale of 115.00 → box 5 115.00, box 8
 * 15.00; a purchase of 46.00 → box 11 46.00, box 12 6.00; box 15 9.00.
 */
function gst101aBoxes(sums: LedgerTaxSums): GstBox[] {
  const box5 = sums.sales + sums.output;
  const box7 = box5 - sums.zeroRatedSales;
  const box8 = divideHalfEven(box7 * 3n, 23n);
  const box11 = sums.purchases - sums.zeroRatedPurchases + sums.input;
  const box12 = divideHalfEven(box11 * 3n, 23n);
  return [
    box('5', 'total sales and income including GST', box5),
    box('6', 'zero-rated supplies', sums.zeroRatedSales),
    box('8', 'GST collected on sales and income (3/23 of 5 − 6)', box8),
    box('11', 'total purchases and expenses including GST', box11),
    box('12', 'GST credit on purchases and expenses (3/23 of 11)', box12),
    box('15', 'GST to pay (8 − 12; negative: refund)', box8 - box12),
  ];
}

function box(number: string, label: string, cents: bigint): GstBox {
  return { box: number, label, amount: formatCents(cents) };
}

/** The region's GST return for the period, from the same sums as the UK's VAT return. */
export async function gstReturn(
  reads: Pick<LedgerReads, 'journal'>,
  book: TaxBook | undefined,
  options: VatPeriodOptions & { region: GstRegion },
): Promise<GstReturn> {
  const { sums, otherCurrencies } = await ledgerTaxSums(reads, book, options);
  const australia = options.region === 'AU';
  return {
    region: options.region,
    form: australia ? 'BAS' : 'GST101A',
    period: options.period,
    from: options.from,
    to: options.to,
    currency: options.currency,
    boxes: australia ? basBoxes(sums) : gst101aBoxes(sums),
    otherCurrencies,
  };
}

/**
 * The return of the organisation's region (`destinations.xero.region`): AU's BAS, NZ's GST101A, the UK's VAT return
 * for any other region or none, all from the ledger's tax lines.
 */
export async function taxReturn(
  reads: Pick<LedgerReads, 'journal'>,
  book: TaxBook | undefined,
  options: VatPeriodOptions & { region: string | undefined },
): Promise<VatReturn | GstReturn> {
  const region = GST_REGIONS.find((gst) => gst === options.region);
  return region === undefined ? vatReturn(reads, book, options) : gstReturn(reads, book, { ...options, region });
}

/** A return as `vat` prints it. */
export function renderTaxReturn(filed: VatReturn | GstReturn): string {
  return 'region' in filed ? renderGstReturn(filed) : renderVatReturn(filed);
}

/**
 * The boxes as `vat` prints them, as each form takes them: "  Box G1     total sales (GST included)   110". The BAS
 * in whole dollars, the cents left out (the ATO's BAS instructions: report whole dollars, no cents; toward zero
 * rather than rounded is what is relied on here, unconfirmed), its 1A − 1B worked from the whole-dollar 1A and 1B
 * (1A 10.90, 1B 5.20 → 10 − 5 = 5); the GST101A in dollars and cents as the form has them. The last box as a
 * positive figure saying who pays whom: "you pay the ATO 5" or "Inland Revenue refunds you 6.00".
 */
export function renderGstReturn(gst: GstReturn): string {
  const lines = [
    `GST return ${gst.period} (${gst.from} to ${gst.to}), ${gst.region} ${gst.form}, ${gst.currency}, ` +
      "from the ledger's tax lines",
  ];
  const boxes = onTheForm(gst);
  for (const [index, { box: number, label, amount }] of boxes.entries()) {
    // The books' figure beside one the form takes without its cents; the last box's sign is in its words.
    const books = gst.boxes[index]?.amount;
    const last = index === boxes.length - 1;
    const beside = last || books === amount || `${amount}.00` === books ? '' : `  (${books} in the books)`;
    lines.push(`  Box ${number.padEnd(5)}  ${label.padEnd(50)} ${amount.padStart(12)}${beside}`);
  }
  if (gst.otherCurrencies.length > 0)
    lines.push(
      `entries in ${gst.otherCurrencies.join(', ')} are not in these boxes: no rate converts them to ${gst.currency} (destinations.rates)`,
    );
  return `${lines.join('\n')}\n`;
}

/** Who the difference goes to, by form: the ATO for the BAS, Inland Revenue for the GST101A. */
const TAX_OFFICE: Readonly<Record<GstReturn['form'], string>> = { BAS: 'the ATO', GST101A: 'Inland Revenue' };

/**
 * The boxes as the form takes them: the BAS's in whole dollars (toward zero: 88.90 → 88), its last box worked again
 * from them; the last box of either form positive, its label saying who pays whom (−6.00 → "Inland Revenue refunds
 * you", 6.00).
 */
function onTheForm(gst: GstReturn): GstBox[] {
  const whole = gst.form === 'BAS';
  const boxes = gst.boxes.map((one) => (whole ? { ...one, amount: String(parseScaled(one.amount, 2) / 100n) } : one));
  const last = boxes.at(-1);
  if (last === undefined) return boxes;
  const figure = (name: string) => parseScaled(boxes.find((one) => one.box === name)?.amount ?? '0', whole ? 0 : 2);
  const net = whole ? figure('1A') - figure('1B') : figure(last.box);
  const office = TAX_OFFICE[gst.form];
  const label = net < 0n ? `${office} refunds you` : `you pay ${office}`;
  const amount = whole ? String(net < 0n ? -net : net) : formatCents(net < 0n ? -net : net);
  const name = whole ? `GST: ${label} (1A − 1B)` : `GST: ${label} (8 − 12)`;
  return [...boxes.slice(0, -1), { box: last.box, label: name, amount }];
}
