import type { LandedBankLine, TransitLinkWord } from '../../rules/index.js';
import { lineKey } from '../../rules/index.js';

/** What people decided, as the rules read it: item id → the line (account:lineId) it took, and the lines it must not take. */
export interface HandWords {
  matched: Map<string, string>;
  refused: Map<string, Set<string>>;
}

/**
 * The words people gave, oldest first, read into what stands: an item's latest `match` is its line; an `unmatch`
 * takes the item's line away and refuses that line to it for good, unless a later `match` names it again.
 * Example: match P L-1, unmatch P (L-1), match P L-2 → P takes L-2 and never L-1 by rule.
 */
export function handWords(words: readonly TransitLinkWord[]): HandWords {
  const matched = new Map<string, string>();
  const refused = new Map<string, Set<string>>();
  for (const word of words) {
    const key = lineKey(word);
    if (word.action === 'match') {
      matched.set(word.itemId, key);
      refused.get(word.itemId)?.delete(key);
    } else {
      matched.delete(word.itemId);
      let lines = refused.get(word.itemId);
      if (lines === undefined) refused.set(word.itemId, (lines = new Set()));
      lines.add(key);
    }
  }
  return { matched, refused };
}

/** The lines people matched, by account and line id, for the store to read whatever their day or amount. */
export function handLineKeys(words: HandWords): { account: string; lineId: string }[] {
  return [...words.matched.values()].map((key) => {
    const colon = key.indexOf(':');
    return { account: key.slice(0, colon), lineId: key.slice(colon + 1) };
  });
}

/** The lines in reach with those people matched, each once. */
export function withLinesMatchedByHand(
  inReach: readonly LandedBankLine[],
  byHand: readonly LandedBankLine[],
): LandedBankLine[] {
  if (byHand.length === 0) return [...inReach];
  const known = new Set(inReach.map(lineKey));
  return [...inReach, ...byHand.filter((line) => !known.has(lineKey(line)))];
}
