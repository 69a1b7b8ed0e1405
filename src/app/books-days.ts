import { addDays, dateInTimeZone, daysBetween, localDateTime } from '../calendar/index.js';
import { UsageError, messageOf } from '../errors.js';
import { readSandboxDay } from '../sources/index.js';
import type { AppProcess } from './app-process.js';

/** The default as-of date: yesterday in the configured timezone, the last day that has closed. */
export function yesterdayIn(timezone: string, instant: Date): string {
  return addDays(dateInTimeZone(timezone)(instant), -1);
}

/** The word a date flag takes for the latest day that has ended. */
export const YESTERDAY = 'yesterday';

/** A date flag's day as a flag schema reads it (cli/flags.ts), with "yesterday" made `yesterday`, the latest day that has ended as the command dates it. */
export function dayOf(given: string | undefined, yesterday: string): string | undefined {
  return given === YESTERDAY ? yesterday : given;
}

/** A window's ends in order: `--from 2026-03-31 --to 2026-03-01` is a typo, not an empty window. */
export function refuseReversedWindow(
  from: { flag: string; date: string | undefined },
  to: { flag: string; date: string | undefined },
): void {
  if (from.date !== undefined && to.date !== undefined && from.date > to.date) {
    throw new UsageError(
      `${from.flag} ${from.date} is after ${to.flag} ${to.date}: the window is empty; swap the dates`,
    );
  }
}

/**
 * A day can be closed only once it has ended where the books are kept: a close taken of today or a
 * later day would book figures that are still moving and, being the latest close, block every real
 * night after it. Example: at 2026-11-22 03:00 UTC, timezone UTC, 2026-11-21 is accepted, 2026-11-22
 * is refused; in Pacific/Kiritimati (UTC+14) it is already 17:00 on the 22nd, so the 21st is accepted
 * there too, and the 22nd still refused.
 */
export function refuseUnendedDay(flag: string, date: string | undefined, timezone: string, now: Date): void {
  if (date === undefined) return;
  const latest = yesterdayIn(timezone, now);
  if (date > latest) {
    throw new UsageError(
      `${flag} ${date} has not ended yet in ${timezone} (today there is ${dateInTimeZone(timezone)(now)}): ` +
        `the latest day that can be closed is ${latest} (--as-of yesterday); nothing was contacted or written`,
    );
  }
}

/**
 * The day a sync takes the close of when none is given: yesterday in the configured timezone, or on a
 * sandbox trial (`sandboxClock` set) the day the sandbox is on, so the ledger follows the sandbox's
 * calendar and never jumps to the machine's date.
 */
export async function defaultAsOf(
  config: { timezone: string; sandboxClock?: string | undefined },
  now: Date,
): Promise<string> {
  return config.sandboxClock === undefined ? yesterdayIn(config.timezone, now) : readSandboxDay(config.sandboxClock);
}

const MS_PER_HOUR = 3_600_000;

/**
 * When a request arrives, as the ledger dates what it records (the panel proxy's orders): now; on a sandbox
 * trial (`sandboxClock` set) now moved by whole days onto the day the sandbox is on, as a sync's day follows
 * it. Example: sandbox on 2026-03-05, machine at 2026-11-22T14:10Z, timezone UTC → 2026-03-05T14:10Z. A move
 * across a summer-time change can miss the day by the hour it gained or lost; it is then moved back onto it.
 */
export function requestClock(
  config: { timezone: string; sandboxClock?: string | undefined },
  now: () => Date,
): () => Promise<Date> {
  const { sandboxClock, timezone } = config;
  if (sandboxClock === undefined) return () => Promise.resolve(now());
  const dateOf = dateInTimeZone(timezone);
  return async () => {
    const day = await readSandboxDay(sandboxClock);
    const instant = now();
    let moved = instant.getTime() + daysBetween(dateOf(instant), day) * 24 * MS_PER_HOUR;
    for (let step = 0; step < 3 && dateOf(new Date(moved)) !== day; step += 1)
      moved += Math.sign(daysBetween(dateOf(new Date(moved)), day)) * MS_PER_HOUR;
    return new Date(moved);
  };
}

/**
 * On a sandbox trial (`sandboxClock` set) a close later than the sandbox's day is refused before anything
 * is contacted: the sandbox has not lived that day yet, and a close taken of it would, as the latest close,
 * refuse the sandbox's real days for good. Example: sandbox on 2026-03-05, `--as-of 2026-03-06` refused,
 * `--as-of 2026-03-05` taken. `sandboxDay` is the day already read, if any.
 */
export async function refuseBeyondSandboxDay(
  flag: string,
  date: string | undefined,
  config: { sandboxClock?: string | undefined },
  sandboxDay?: string,
): Promise<void> {
  if (date === undefined || config.sandboxClock === undefined) return;
  const day = sandboxDay ?? (await readSandboxDay(config.sandboxClock));
  if (date > day) {
    throw new UsageError(
      `${flag} ${date} is later than the sandbox's day, ${day} (${config.sandboxClock}): the sandbox has not lived it yet, and a close of it would ` +
        `refuse the sandbox's own days after; close ${day} (a plain \`ledgerline sync\`) or move the ` +
        `sandbox on first (POST /__admin/day); nothing was contacted or written`,
    );
  }
}

/** Today and the latest day that has ended, as the books see them. */
interface BooksDays {
  today: string;
  yesterday: string;
}

/**
 * The days a reader of the books (reconcile, status, report) dates itself by: the machine's today and
 * yesterday in the configured timezone, or on a sandbox trial the sandbox's day as the latest ended day
 * and the next as today, so a trial in the sandbox's March is judged in March, not in the machine's
 * November. Example: sandbox on 2026-03-05 → today 2026-03-06, yesterday 2026-03-05. A sandbox that
 * cannot be read leaves the machine's days, and the command's log warns of it: a read-only command still answers.
 */
export async function booksDays(
  config: { timezone: string; sandboxClock?: string | undefined },
  context: Pick<AppProcess, 'now' | 'logger'>,
): Promise<BooksDays> {
  const now = context.now();
  const machine = { today: dateInTimeZone(config.timezone)(now), yesterday: yesterdayIn(config.timezone, now) };
  if (config.sandboxClock === undefined) return machine;
  try {
    const day = await readSandboxDay(config.sandboxClock);
    return { today: addDays(day, 1), yesterday: day };
  } catch (error) {
    context.logger.warn(`${messageOf(error)}; dated by this machine's clock instead (today ${machine.today})`);
    return machine;
  }
}

/**
 * When an export is made, as the books' wall clock reads it without an offset: a format's "created at". The
 * machine's now in the configured timezone ("2026-11-22T14:10:05.123"); on a sandbox trial the start of the
 * sandbox's today (sandbox on 2026-03-05 → "2026-03-06T00:00:00.000"), so a trial's window exported twice is the
 * same bytes. A sandbox that cannot be read leaves the machine's today, as booksDays does. A format whose file does
 * not say when it was made is handed the machine's time, and the sandbox is not asked (nor warned about).
 */
export async function exportMadeAt(
  config: { timezone: string; sandboxClock?: string | undefined },
  context: Pick<AppProcess, 'now' | 'logger'>,
  format: { statesWhenMade?: boolean | undefined },
): Promise<string> {
  if (config.sandboxClock !== undefined && format.statesWhenMade === true)
    return `${(await booksDays(config, context)).today}T00:00:00.000`;
  return localDateTime(config.timezone)(context.now()).slice(0, 23);
}
