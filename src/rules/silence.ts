import { addDays, daysBetween } from '../calendar/index.js';

/** What the ledger keeps of one source's close of a day: the figure it logged (a balance, a counter) and the entries booked for the day. */
export interface CloseActivity {
  sourceId: string;
  date: string;
  /** The close's figure (the panel's balance, the ad network's lifetime counter), as the close log keeps it. */
  valueMicros: bigint;
  /** Journal entries of the source dated the close's day. */
  entries: number;
}

/**
 * What "new data" is for a kind of source, and how a finance person is told it stopped: the kind says it, so no
 * pipeline file names a kind. `broughtNewData` is handed the close and the one before it (none for the first
 * close read). Example (a panel): `{ noun: 'Panel', nothingNew: 'no new orders or balance moves',
 * check: "check the panel's account and API key" }`.
 */
export interface SourceSilence {
  readonly noun: string;
  readonly nothingNew: string;
  readonly check: string;
  broughtNewData(close: CloseActivity, previous: CloseActivity | undefined): boolean;
}

/** A source's closes since the last one that brought something new. */
interface QuietStretch {
  /** Calendar days from the last close with new data to the latest close (0: the latest close brought some). */
  quietDays: number;
  /** The first day that brought nothing, or null when the latest close brought something. */
  since: string | null;
}

/**
 * The stretch of a source's latest closes (in date order, one per day) that brought nothing new, as its kind
 * judges. The first close read is compared with nothing, so a stretch is counted within the closes read.
 * Example: closes of 03-02 (orders booked), 03-03, 03-04, 03-05 (nothing) → `{ quietDays: 3, since: '2026-03-03' }`.
 * Undefined before the source's first close.
 */
function quietStretch(
  closes: readonly CloseActivity[],
  judge: Pick<SourceSilence, 'broughtNewData'>,
): QuietStretch | undefined {
  const latest = closes.at(-1);
  if (latest === undefined) return undefined;
  let lastNew: string | undefined;
  for (const [index, close] of closes.entries())
    if (judge.broughtNewData(close, closes[index - 1])) lastNew = close.date;
  if (lastNew === undefined)
    return { quietDays: daysBetween(closes[0]!.date, latest.date) + 1, since: closes[0]!.date };
  const quietDays = daysBetween(lastNew, latest.date);
  return { quietDays, since: quietDays === 0 ? null : addDays(lastNew, 1) };
}

/** A source's quiet stretch judged against its threshold, with the words a finance person is told once it is silent. */
interface SilenceVerdict extends QuietStretch {
  silentAfterDays: number;
  silent: boolean;
  /** For a silent source: "Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03)". */
  message?: string;
  /** The message without its date, for a list whose row already gives since when (the exception queue, the digest). */
  undatedMessage?: string;
  /** For a silent source: the one thing to check, as its kind words it. */
  nextStep?: string;
}

/**
 * Silent: its closes brought nothing new for `silentAfterDays` days or more (its own setting, else
 * `monitor.silentAfterDays`). Undefined before its first close. Example: the stretch of 4 days since 03-03 with a
 * threshold of 3 → silent, "Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03)".
 */
export function silenceVerdict(
  sourceId: string,
  closes: readonly CloseActivity[],
  silence: SourceSilence,
  silentAfterDays: number,
): SilenceVerdict | undefined {
  const stretch = quietStretch(closes, silence);
  if (stretch === undefined) return undefined;
  if (stretch.quietDays < silentAfterDays) return { ...stretch, silentAfterDays, silent: false };
  const days = `${stretch.quietDays} day${stretch.quietDays === 1 ? '' : 's'}`;
  const since = stretch.since === null ? '' : ` (since ${stretch.since})`;
  const undatedMessage = `${silence.noun} ${sourceId} has sent ${silence.nothingNew} for ${days}`;
  return {
    ...stretch,
    silentAfterDays,
    silent: true,
    message: `${undatedMessage}${since}`,
    undatedMessage,
    nextStep: silence.check,
  };
}
