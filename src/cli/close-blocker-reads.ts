import type { Config } from '../config/index.js';
import type { Books } from '../pipeline/books/index.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { reconcileReport, sourceSeries } from '../pipeline/reports/index.js';
import { findingsFolder } from '../pipeline/runs/index.js';
import { transitTerms, unsettledTransit } from '../pipeline/transit/index.js';
import type { CommandProcess } from './command.js';
import { reconcileReadsOf } from './reconcile-reads.js';

/**
 * What a close's blockers are read from besides the ledger, as of `today`: the action items nobody acknowledged
 * (`reconcile --as-of <period end>`) and the payouts and top-ups nothing settled, judged with `documents` (what
 * the destinations say of their bank-side documents; `close` asks them, the console passes none).
 */
export function closeBlockerReads(context: CommandProcess, config: Config, books: Books, today: string, documents: () => Promise<Map<string, { documentId: string; reconciled: boolean }>>) {
  const { stuckAfterDays } = sourceSeries(config.sources, sourceKinds.reportFacts);
  return {
    openActionItems: async (periodEnd: string) =>
      (await reconcileReport(reconcileReadsOf(books), periodEnd, today, stuckAfterDays, findingsFolder(config))).items.filter((item) => item.class === 'action' && item.acknowledged === null),
    transfersInTransit: async (periodEnd: string) =>
      unsettledTransit(books.transitBooks, { asOf: today, periodEnd, terms: transitTerms(config.sources), record: false, now: context.now(), documents: await documents() }),
  };
}
