import type { Alert, AlertItem } from './alert.js';

/** `monitor.digest`: how often the scheduler sends the digest through the alert channels. */
const DIGEST_CADENCES = ['daily', 'weekly'] as const;
export type DigestCadence = (typeof DIGEST_CADENCES)[number];

/** One thing needing a person, as the exception queue lists it (reads/exception-queue.ts). */
interface DigestException {
  entity?: string | undefined;
  kind: string;
  subject: string;
  what: string;
  since: string | null;
  nextStep: string;
}

/** How each kind is said in the digest's summary: "failing: 1 (north/panel-03)". */
const KIND_WORDS: Readonly<Record<string, string>> = {
  failing: 'failing',
  parked: 'parked',
  silent: 'silent',
  money_in_transit: 'money in transit to look at',
  mapping_gap: 'unmapped accounts',
  connection: 'connections to make',
  token_expiring: 'authorizations expiring',
  open_item: 'open items blocking a close',
};
const SOURCE_KINDS = new Set(['failing', 'parked', 'silent']);

/**
 * The digest as an alert: a summary in a finance person's words ("3 of 40 sources need you", then a line per kind
 * naming its items: "failing: 1 (panel-30)"), then each exception with its date, grouped by kind, oldest first within it. Example: nothing
 * open → "ledgerline daily digest, 2026-03-07: all 40 sources are booked and nothing needs you".
 */
export function digestAlert(
  cadence: DigestCadence,
  facts: { today: string; sources: number; exceptions: readonly DigestException[] },
): Alert {
  const kinds = Object.keys(KIND_WORDS);
  const grouped = [...facts.exceptions].sort(
    (a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || (a.since ?? '9999').localeCompare(b.since ?? '9999'),
  );
  const named = (exception: DigestException) =>
    `${exception.entity === undefined ? '' : `${exception.entity}/`}${exception.subject}`;
  const needing = new Set(grouped.filter((each) => SOURCE_KINDS.has(each.kind)).map(named));
  const head = `ledgerline ${cadence} digest, ${facts.today}`;
  if (grouped.length === 0)
    return {
      kind: 'digest',
      title: `${head}: all ${facts.sources} sources are booked and nothing needs you`,
      items: [],
    };
  const lines = [
    `${head}: ${needing.size} of ${facts.sources} sources need you; ${grouped.length} thing${grouped.length === 1 ? '' : 's'} to do in all`,
    ...kinds.flatMap((kind) => {
      const ofKind = grouped.filter((each) => each.kind === kind);
      if (ofKind.length === 0) return [];
      // Each date once: the summary names the items, each item's line below says since when.
      const shown = ofKind.slice(0, 5).map(named);
      return [`${KIND_WORDS[kind]}: ${ofKind.length} (${shown.join(', ')}${ofKind.length > 5 ? ', …' : ''})`];
    }),
  ];
  return {
    kind: 'digest',
    title: lines.join('\n'),
    items: grouped.map((each): AlertItem => ({
      subject: named(each),
      kind: each.kind,
      // Each date once: a silent source's words already say since when.
      message: `${each.what}${each.since === null || each.what.includes(each.since) ? '' : ` (since ${each.since})`}`,
      nextStep: each.nextStep,
    })),
  };
}
