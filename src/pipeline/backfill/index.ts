/** The backfill (`sync --from --to`): the stored replies of a window's closes read again with today's readers and rules, differences booked as corrections; no source is contacted. */
export { backfillWindow, type BackfillDependencies, type BackfillRepoll, type BackfillRequest } from './backfill-window.js';
export type * from './backfill-books.js';
export { bookSourceReplay, closesToReplay, planSourceReplay, type BackfillRun, type ReplayPlan, type SourceReplay } from './replay-source.js';
export type { ReplayWindow } from './replayed-closes.js';
