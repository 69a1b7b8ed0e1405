import { formatCents } from '../../money/index.js';
import {
  renderEntryCents,
  renderedLinesOf,
  type EntryCents,
  type JournalLine,
  type RunningTotalKey,
} from '../../rules/index.js';

/** An entry whose kept cents (what exports, Xero and QuickBooks receive) are not those its exact amounts render to. */
export interface CentsChange {
  entryId: string;
  date: string;
  sourceId: string;
  /** The rendered lines as kept and as the amounts give them, each "account 1.75 USD", in order. */
  kept: string[];
  recomputed: string[];
  message: string;
}

/**
 * The cents every entry renders to, recomputed from the exact amounts as the append renders them (rules/journal,
 * cent-rendering: half-even on each source's, account's and currency's running total, the residue to `rounding`),
 * entries taken in append order; each entry's recomputed rendered lines are held against those it keeps (a line's
 * cents in journal_lines, its rounding lines in rendered_lines; every rendered line there for an entry booked
 * before migration 0015). Example: Dr expense 1.750000, Cr prepaid 1.750000 kept as 2.75 and −2.75 (moved with the
 * database's tools) → "entry … is exported and posted as smm_services_expense 2.75 USD, …; its amounts give 1.75 …".
 */
export class RenderedCentsCheck {
  private readonly totals = new Map<RunningTotalKey, bigint>();
  /** The cents each total's lines rendered to less its rounded exact total, where a reclassification left them apart. */
  private readonly drift = new Map<RunningTotalKey, bigint>();

  /**
   * The next entry in chain order: its exact lines, the cents kept with them (null: none kept there, an entry booked
   * before migration 0015) and the rendered lines kept apart; undefined when its cents are as kept. Each line's
   * cents and each line kept apart are held against the recomputed ones first (no list built); only an entry that
   * differs there, or keeps its cents apart, is held against its rendered lines whole.
   */
  check(
    entry: { entryId: string; date: string; sourceId: string; reclassification: boolean },
    exact: readonly JournalLine[],
    keptLineCents: readonly (bigint | null)[],
    keptApart: readonly KeptCents[],
  ): CentsChange | undefined {
    const cents = renderEntryCents(entry.sourceId, exact, this.totals, undefined, {
      drift: this.drift,
      reclassification: entry.reclassification,
    });
    if (sameCents(cents, keptLineCents, keptApart)) return undefined;
    const kept: KeptCents[] = [];
    exact.forEach(({ account, currency }, index) => {
      const lineCents = keptLineCents[index];
      if (lineCents !== null && lineCents !== undefined && lineCents !== 0n)
        kept.push({ account, currency, cents: lineCents });
    });
    kept.push(...keptApart);
    const recomputed = renderedLinesOf(exact, cents);
    if (recomputed.length === kept.length && recomputed.every((line, index) => sameLine(line, kept[index]!)))
      return undefined;
    const keptText = kept.map(lineText);
    const recomputedText = recomputed.map(lineText);
    const { entryId, date, sourceId } = entry;
    return {
      entryId,
      date,
      sourceId,
      kept: keptText,
      recomputed: recomputedText,
      message:
        `entry ${entryId} (dated ${date}, source ${sourceId}) is exported and posted as ${keptText.join(', ') || 'no line'}, but its amounts give ` +
        `${recomputedText.join(', ') || 'no line'}: the cents kept for exports, Xero and QuickBooks were changed outside ledgerline`,
    };
  }
}

/** A rendered line as the ledger keeps it: a line's cents (when not 0) or a line of rendered_lines. */
interface KeptCents {
  account: string;
  currency: string;
  cents: bigint;
}

/** Whether every line's kept cents are its recomputed ones and the lines kept apart are the recomputed rounding lines: then the rendered lines are alike. */
function sameCents(
  { lineCents, roundingLines }: EntryCents,
  keptLineCents: readonly (bigint | null)[],
  keptApart: readonly KeptCents[],
): boolean {
  if (lineCents.length !== keptLineCents.length || roundingLines.length !== keptApart.length) return false;
  for (let index = 0; index < lineCents.length; index += 1) if (lineCents[index] !== keptLineCents[index]) return false;
  for (let index = 0; index < roundingLines.length; index += 1)
    if (!sameLine(roundingLines[index]!, keptApart[index]!)) return false;
  return true;
}

function sameLine(a: KeptCents, b: KeptCents): boolean {
  return a.cents === b.cents && a.account === b.account && a.currency === b.currency;
}

function lineText(line: KeptCents): string {
  return `${line.account} ${formatCents(line.cents)} ${line.currency}`;
}
