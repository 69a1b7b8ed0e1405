import type { LedgerStore } from './ledger-store.js';

/** The summaries of a command's recorded runs as of `since` or later (runs that wrote none are left out). */
export function runSummariesSince(store: LedgerStore, command: string, since: string): { as_of: string | null; summary: string | null }[] {
  return store.all(
    store.db.selectFrom('runs').select(['as_of', 'summary']).where('command', '=', command).where('as_of', '>=', since).where('summary', 'is not', null),
  );
}
