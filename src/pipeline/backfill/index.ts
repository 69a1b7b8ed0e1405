/**
 * The backfill (`sync --from --to`): the stored replies of a window's closes read again with today's readers and
 * rules, differences booked as corrections; no source is contacted.
 */
export { backfillWindow, type BackfillRepoll } from './backfill-window.js';
export { type BackfillRun, type SourceReplayer } from './source-replayer.js';
export { stagedReplayer } from './staged-replay.js';
export { type ReplayedCloses, type ReplayWindow } from './replayed-closes.js';
export {
  backfillBooks,
  type BackfillBooksReads,
  type BackfillBooksTx,
  type LoggedClose,
} from './books/backfill-books.js';
