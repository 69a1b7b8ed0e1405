/**
 * The nightly trip (issue 53 item 10): for one panel night (ten orders, seven of them moving; a sandbox
 * world's panel source, one `sync` day from syncSources' call to its return, the committed balance unit the
 * last thing in it), how many src/ files it enters and how many function entries it takes, counted by V8's
 * precise coverage (call counts) over the built dist/src, each dist file read as its src/ file
 * (bench/support/trip-night.mjs). Counts, not times: the same build gives the same figures on a busy machine.
 * To compare with an older commit, run this file and its support/trip-*.mjs from a built worktree of it
 * (its bench/support-sync.mjs has the same helpers since c7dca4b).
 *
 * 2026-11-26, two runs each, the same figures each time: main at 1c8e176 enters 101 files in 1,623 steps
 * (rules/stored-state.ts 263, store/sqlite-ledger-store.ts 196, http/wire-readers.ts 104, calendar 72, ...,
 * store/unit-of-work-context.ts 50, store/sync-books-store.ts 48); c7dca4b (a worktree of it, built, these three
 * files copied in) 70 files in 1,264 steps (store/sqlite-ledger-store.ts 135). The issue's own tracer, over its
 * own night: 133 / 1,838 against 98 / 1,509.
 *
 * 2026-11-26, later (branch trip): main at 57c5e63 enters 93 files in 1,622 steps; with the panel's night path in
 * a few modules (its wire, its client, which orders a close polls, its chunks, three rule modules) and money's,
 * the wire readers', the sync's and the run report's small files folded into their hosts, 69 files in 1,514 steps
 * (http/wire-readers.ts 138, store/sqlite-statements.ts 136, store/sqlite-ledger-store.ts 123,
 * rules/stored-state.ts 91, store/unit-of-work.ts 89, ...). Fewer files than c7dca4b (70), not yet fewer steps
 * (1,264): the store's per-statement layers and the per-field wire readers are most of the rest.
 *
 * 2026-11-27 (branch trip, from main at ca2ac31: 70 files, 1,591 steps): a SQLite unit's tx is its statements
 * (tx → cache → driver, no closures between), 69 / 1,361; no unit for an empty proxy spool and the latest close
 * read once, 69 / 1,342; a plain insert's prepared pair cached, 69 / 1,332; the panel's carried states in one
 * read, 69 / 1,321; the row seals' SELECT list built once per table, 69 / 1,297 (store/sqlite-statements.ts 140,
 * http/wire-readers.ts 138, rules/stored-state.ts 91, store/sync-books-store.ts 72, ...). Fewer files than
 * c7dca4b, still 33 steps more: what is left is per order (wire readers, rules) or per unit (the adapters).
 *
 * 2026-11-27, later (branch trip3, from main at fab7aec: 69 files, 1,321 steps): a SQLite statement found in the
 * cache's map before calling for it and the panel's status entry read in one pass (wireFields), 69 / 1,240; the
 * re-poll list asking which orders are known rather than parsing their states, open-order heads and named orders
 * built in loops, a stored amount to BigInt without a closure, only a date past the 28th asking its month's
 * length, 69 / 1,176; an order's state written as JSON directly (orderStateJson), 69 / 1,136; the sync adapter's
 * writes in a unit straight on its tx rather than through a nested unit, 69 / 1,123 (http/wire-readers.ts 98,
 * store/sqlite-statements.ts 86, store/sync-books-store.ts 82, rules/journalize.ts 60,
 * kinds/panel/rules/order-events.ts 59, ...). Fewer files and 141 steps fewer than c7dca4b (70 / 1,264). Left: the
 * adapters each unit builds over its tx (sync, landing, journal, Ledger, SQLite's tx: about 9 steps a unit) and
 * the per-order rules (order-events, normalize-status, journalize).
 *
 *   npm run build && node bench/trip.bench.mjs
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runWhenMain } from './support/bench-size.mjs';

const MOST_ENTERED = 8;

export async function run() {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(import.meta.dirname, 'support', 'trip-night.mjs')],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const trip = JSON.parse(stdout.trim().split('\n').at(-1));
  const most = Object.entries(trip.byFile)
    .sort(([, a], [, b]) => b - a)
    .slice(0, MOST_ENTERED)
    .map(([file, steps]) => `${file.slice('src/'.length)} ${steps}`)
    .join(', ');
  return {
    name: 'trip',
    metrics: {
      'src/ files entered in one panel night': trip.files,
      'function-entry steps in src/': trip.steps,
      'events booked that night': trip.events,
      'most entered (steps)': most,
    },
  };
}

await runWhenMain(import.meta.url, run);
