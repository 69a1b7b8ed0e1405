import { describe, expect, it } from 'vitest';
import { bankLinesPage, type BankLinesShown } from '../../../src/reads/console/bank-lines-page.js';

/** Issue 83's small things on the console's bank-lines page, from the page's own view of the lines. */
const row = (bankLine: string, date: string, reference: string, description: string, item: string | null) => ({
  bankLine,
  date,
  amount: '-51.50',
  currency: 'GBP',
  reference,
  description,
  takenBy: item === null ? null : { item, state: 'matched', by: 'rule' as const },
});

const VIEW: BankLinesShown = {
  asOf: '2026-04-30',
  closedThrough: '2026-03-31',
  openItems: [],
  lines: [
    // An OFX line with no REFNUM: its reference is the MEMO, its description NAME and MEMO.
    row('operating:F-1', '2026-03-30', 'TOPUP 0330', 'SMMPANEL LTD TOPUP 0330', 'panel:smm-panel:topup:2026-03-28'),
    row('operating:F-2', '2026-04-06', 'TOPUP 0404', 'SMMPANEL LTD TOPUP 0404', 'panel:smm-panel:topup:2026-04-04'),
    row('operating:F-3', '2026-04-07', 'REF-77', 'CARD PAYMENT', null),
  ],
};

/** Each line's row as [line, bank's words, what its last cell offers]. */
function rows(html: string): string[][] {
  const body = /<table id="bank-line-rows">.*?<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((found) => {
    const cells = [...found[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!);
    const last = cells[6]!;
    return [cells[1]!, cells[4]!, last.includes('value="unmatch"') ? 'Unmatch' : last.replace(/<[^>]+>/g, '')];
  });
}

describe("the console's bank-lines page: the bank's words once, and no Unmatch in a closed month", () => {
  it("an OFX line's NAME and MEMO once; a line of a closed month stays matched, one of the open month offers Unmatch", () => {
    expect(rows(bankLinesPage(VIEW, 'token', undefined)('nonce'))).toEqual([
      ['operating:F-1', 'SMMPANEL LTD TOPUP 0330', 'in a closed month (closed through 2026-03-31)'],
      ['operating:F-2', 'SMMPANEL LTD TOPUP 0404', 'Unmatch'],
      ['operating:F-3', 'REF-77 / CARD PAYMENT', 'no open top-up in GBP: book it with an adjusting entry'],
    ]);
  });
});
