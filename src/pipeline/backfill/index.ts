/** The backfill (`sync --from --to`): the stored replies of a window's closes read again with today's readers and rules, differences booked as corrections; no source is contacted. */
export { backfillWindow } from './backfill-window.js';
