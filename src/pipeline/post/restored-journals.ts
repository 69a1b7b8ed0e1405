import type { DestinationClient, RemoteLine } from '../../destinations/index.js';
import { RebookedJournalDiffersError } from '../../errors.js';
import { formatCents } from '../../money/index.js';
import type { RenderedEntry } from '../../rules/index.js';

/**
 * The journals found under fresh entries' numbers, split: those a restore listed as removed (the same journal id:
 * this ledger's own) and the others (another copy's).
 */
export function restoredOrOthers(
  taken: ReadonlyMap<string, string>,
  removedByRestore: ReadonlyMap<string, string> | undefined,
): { restored: Map<string, string>; others: [string, string][] } {
  const restored = new Map([...taken].filter(([entryId, remoteId]) => removedByRestore?.get(entryId) === remoteId));
  return { restored, others: [...taken].filter(([entryId]) => !restored.has(entryId)) };
}

/**
 * The journals found at the destination under fresh entries' numbers that a restore listed as this ledger's own
 * (entry id → the same journal id), confirmed only when their lines are what the entry booked again sends, account
 * by account, in cents: the restore's listing proves whose journal it is, not that the night booked the same
 * figures again. Any difference stops the post with RebookedJournalDiffersError naming the journal and the figures,
 * nothing marked delivered. Example: Xero journal 5a… carried je:smm-panel:2026-04-01 as account 200 12.50 (and
 * 090 −12.50); booked again from what the panel now says as 13.00 → "… account 200 there 12.50, booked again 13.00".
 */
export async function confirmRestoredJournals(
  client: Pick<DestinationClient, 'name' | 'kind' | 'readBack' | 'expectedLines' | 'conversion'>,
  entries: readonly RenderedEntry[],
  restored: ReadonlyMap<string, string>,
): Promise<void> {
  if (restored.size === 0) return;
  const held = await client.readBack([...restored.values()]);
  const differing = entries.flatMap((entry) => {
    const remoteId = restored.get(entry.id);
    if (remoteId === undefined) return [];
    const journal = held.get(remoteId);
    const conversion = client.conversion(entry);
    const expected = client.expectedLines(entry, {
      exchangeRate: conversion?.rate ?? null,
      rateSource: conversion?.source ?? null,
    }).journal;
    if (journal === undefined || journal.state === 'removed')
      return [{ entryId: entry.id, remoteId, differences: `it is ${journal?.status.toLowerCase() ?? 'not there'}` }];
    const lines = lineDifferences(expected, journal.lines);
    return lines === '' ? [] : [{ entryId: entry.id, remoteId, differences: lines }];
  });
  if (differing.length > 0) throw new RebookedJournalDiffersError(client, differing);
}

/** Each account whose cents differ, "ACCOUNT there X, booked again Y", in account order; '' when none. */
function lineDifferences(expected: readonly RemoteLine[], found: readonly RemoteLine[]): string {
  const sum = (lines: readonly RemoteLine[], account: string): bigint =>
    lines.filter((line) => line.account === account).reduce((total, line) => total + line.cents, 0n);
  return [...new Set([...expected, ...found].map((line) => line.account))]
    .sort()
    .flatMap((account) => {
      const [there, again] = [sum(found, account), sum(expected, account)];
      return there === again
        ? []
        : [`account ${account} there ${formatCents(there)}, booked again ${formatCents(again)}`];
    })
    .join('; ');
}
