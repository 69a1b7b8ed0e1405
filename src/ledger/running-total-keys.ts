import { runningTotalKey, type RunningTotalKey } from '../rules/index.js';
import type { JournalEntry } from '../rules/index.js';

/**
 * The running total key of each of an entry's lines, in the order of its lines, each key text built once for all the
 * entries handed to it (an append's): every line of one total then brings the same text, whose hash the totals' and
 * movements' Map look-ups reuse, where a text built per line was hashed anew. An append names a few totals (its
 * sources × accounts × currencies).
 */
export function rememberedTotalKeys(): (entry: JournalEntry) => RunningTotalKey[] {
  const bySource = new Map<string, Map<string, Map<string, RunningTotalKey>>>();
  return ({ sourceId, lines }) => {
    let byAccount = bySource.get(sourceId);
    if (byAccount === undefined) bySource.set(sourceId, (byAccount = new Map()));
    return lines.map(({ account, currency }) => {
      let byCurrency = byAccount.get(account);
      if (byCurrency === undefined) byAccount.set(account, (byCurrency = new Map()));
      let key = byCurrency.get(currency);
      if (key === undefined) byCurrency.set(currency, (key = runningTotalKey(sourceId, account, currency)));
      return key;
    });
  };
}
