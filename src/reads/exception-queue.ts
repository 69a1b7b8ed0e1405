import { z } from 'zod';
import { addDays } from '../calendar/index.js';
import { EXCEPTION_KINDS } from './exception-queue-kinds.js';
import { exceptionFacts, exceptionId, exceptionState, type ExceptionWord } from './exception-state.js';
import type { FleetRow } from './fleet-view.js';
import type { SourceQuiet } from './silent-sources.js';

export { EXCEPTION_KINDS };
type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** `status --exceptions --json`: one thing a person must do, oldest first. */
const ExceptionSchema = z.object({
  /** Stable from night to night while it is the same thing (exceptionId): what `exceptions ack|assign|note ID` takes. */
  id: z.string(),
  /** The entity whose books it is in, when the configuration has entities:. */
  entity: z.string().optional(),
  kind: z.enum(EXCEPTION_KINDS),
  /** The source, destination or reconcile item it concerns. */
  subject: z.string(),
  /** What is wrong, in a finance person's words. */
  what: z.string(),
  /** The first day it needed a person (YYYY-MM-DD); null when the books cannot say. */
  since: z.string().nullable(),
  nextStep: z.string(),
  /** The next step's command, ready to run in a practice's terminal (`--entity NAME` added with entities:); null when the step is no command. */
  command: z.string().nullable(),
  /** A person's word on it (migration 0037): acknowledged while its facts are those the ack saw. */
  state: z.enum(['open', 'acknowledged']),
  acknowledged: z.object({ by: z.string(), at: z.string(), note: z.string().nullable() }).nullable(),
  assignee: z.object({ name: z.string(), by: z.string(), at: z.string() }).nullable(),
  notes: z.array(z.object({ by: z.string(), at: z.string(), text: z.string() })),
});
export type Exception = z.infer<typeof ExceptionSchema>;
export const ExceptionQueueSchema = z.array(ExceptionSchema);

/** One entity's facts, as `status` already read them: nothing here is judged again. */
export interface ExceptionFacts {
  readonly entity?: string | undefined;
  /** This entity's fleet rows (fleet-view.ts): failing, parked and silent sources. */
  readonly rows: readonly FleetRow[];
  readonly parked?: readonly { sourceId: string; parkedAt: string }[] | undefined;
  readonly quiet: readonly SourceQuiet[];
  /** The latest sync's day: when a mapping gap was seen, and a failing source's day when its runs do not say. */
  readonly lastSyncDay: string | null;
  /** Each failing source's first failed run (the as-of day of its failing streak's first): a source failing before its first close dates from it. */
  readonly failingSince?: readonly { sourceId: string; since: string }[] | undefined;
  readonly transit?: readonly TransitFact[] | undefined;
  /** Booked accounts a configured destination's mapping file does not name, as of the latest sync's day. */
  readonly mappingGaps: readonly { account: string; file: string; destination: string }[];
  readonly connections: readonly { destination: string; problem: string; nextStep: string }[];
  readonly tokens: readonly { destination: string; refreshTokenExpiresAt: string; expiresInDays: number }[];
  readonly tokenExpiryDays: number;
  /** Reconcile's action items nobody acknowledged: what blocks a close. */
  readonly openItems: readonly { id: string; kind: string; date: string; message: string; nextStep?: string }[];
  /** The words people said on this entity's queue items (migration 0037), oldest first. */
  readonly words?: readonly ExceptionWord[] | undefined;
}

interface TransitFact {
  id: string;
  kind: string;
  source: string;
  amount: string;
  currency: string;
  reportedOn: string;
  state: string;
  ageDays: number;
}

/**
 * Everything needing a person across the entities' facts, oldest first (what has waited longest on top; those
 * without a day last), then by entity, kind and subject. Example: panel-03 failing since 2026-03-02 comes before
 * a token expiring from 2026-03-05.
 */
export function exceptionQueue(facts: readonly ExceptionFacts[]): Exception[] {
  const order = (kind: ExceptionKind) => EXCEPTION_KINDS.indexOf(kind);
  return facts
    .flatMap((each) =>
      [...sourceExceptions(each), ...bookExceptions(each)].map((exception): Exception => {
        const id = exceptionId({ entity: each.entity, ...exception });
        return {
          id,
          ...(each.entity === undefined ? {} : { entity: each.entity }),
          ...exception,
          nextStep: stepIn(exception.nextStep, each.entity),
          command: commandOf(exception.nextStep, each.entity),
          ...exceptionState(
            exceptionFacts(exception),
            (each.words ?? []).filter((word) => word.itemId === id),
          ),
        };
      }),
    )
    .sort(
      (a, b) =>
        (a.since ?? '9999').localeCompare(b.since ?? '9999') ||
        (a.entity ?? '').localeCompare(b.entity ?? '') ||
        order(a.kind) - order(b.kind) ||
        a.subject.localeCompare(b.subject),
    );
}

type Found = Pick<Exception, 'kind' | 'subject' | 'what' | 'since' | 'nextStep'>;

/**
 * The first command a next step quotes, for the entity whose books it is in. Example: "… then run `ledgerline
 * sync --source panel-04`" of south → "ledgerline sync --source panel-04 --entity south".
 */
function commandOf(nextStep: string, entity: string | undefined): string | null {
  const quoted = /`(ledgerline [^`]+)`/.exec(nextStep)?.[1];
  if (quoted === undefined) return null;
  return entity === undefined ? quoted : `${quoted} --entity ${entity}`;
}

/**
 * A next step's commands as they run in the item's entity: with entities:, `reconcile`, `reconcile ack` and `transit
 * match` refuse without --entity, and the digest or a run's alert, read away from the queue, has no `run:` line.
 * Example: north's "look at it with `ledgerline reconcile`; once dealt with, `ledgerline reconcile ack ID`" → each
 * with --entity north.
 */
export function stepIn(nextStep: string, entity: string | undefined): string {
  if (entity === undefined) return nextStep;
  return nextStep.replace(/`(ledgerline [^`]+)`/g, (_quoted, command: string) => `\`${command} --entity ${entity}\``);
}

/** Failing, parked and silent sources, from the fleet rows. */
function sourceExceptions(facts: ExceptionFacts): Found[] {
  return facts.rows.flatMap((row): Found[] => {
    const firstFailed = facts.failingSince?.find((each) => each.sourceId === row.source)?.since;
    const behindSince = row.lastSuccess === null ? (firstFailed ?? facts.lastSyncDay) : addDays(row.lastSuccess, 1);
    if (row.parked !== undefined) {
      const parkedAt = facts.parked?.find((each) => each.sourceId === row.source)?.parkedAt.slice(0, 10);
      return [
        {
          kind: 'parked',
          subject: row.source,
          what: `${row.source} is parked, left out of the nightly runs, because its close failed in every try: ${row.parked}`,
          since: behindSince ?? parkedAt ?? null,
          nextStep: `fix what the reason says, then run \`ledgerline sync --source ${row.source}\`: it books the missed days and unparks it`,
        },
      ];
    }
    if (row.lastResult === 'failing')
      return [
        {
          kind: 'failing',
          subject: row.source,
          what: `${row.source} failed in the latest sync, so its days since are not booked: ${row.reason ?? 'failing'}`,
          since: behindSince,
          nextStep: failingNextStep(row.source, row.reason ?? ''),
        },
      ];
    const quiet = facts.quiet.find((each) => each.source === row.source && each.silent);
    if (row.silentSince === null || quiet === undefined) return [];
    return [
      // Its row gives since when: the words say it once (issue 72 item 6).
      {
        kind: 'silent',
        subject: row.source,
        what: quiet.undatedMessage!,
        since: row.silentSince,
        nextStep: quiet.nextStep!,
      },
    ];
  });
}

/**
 * The one thing to do about a failing source, from the kind of failure its reason names (the first that matches):
 * a refused key (HTTP 401, 403) needs the key, a rate limit (429) nothing unless it lasts, the vendor's side (a 5xx,
 * a timeout, no answer) only tonight's retry. It advises a person; whether to retry is src/http's to decide.
 * Example: "panel-03: balance: HTTP 502 after 5 attempts" → the panel's side (HTTP 502), tonight's run tries again.
 */
const FAILURE_STEPS: readonly { said: RegExp; step: (source: string, said: string) => string }[] = [
  {
    said: /\bHTTP 40[13]\b/,
    step: (source, said) =>
      `${source} refused its API key (${said}): check the key configured for ${source} (rotated, or the account closed?), then run \`ledgerline sync --source ${source}\``,
  },
  {
    said: /\bHTTP 429\b/,
    step: (source, said) =>
      `${source} is limiting our calls (${said}): nothing to do unless it lasts; tonight's run tries again`,
  },
  {
    said: /\bHTTP 5\d\d\b|timed out|timeout|ECONNREFUSED|ECONNRESET|unreachable/i,
    step: (source, said) =>
      `the failure is on ${source}'s side (${said}): nothing to change here; tonight's run tries again, or run \`ledgerline sync --source ${source}\` once it answers`,
  },
];

function failingNextStep(source: string, reason: string): string {
  for (const { said, step } of FAILURE_STEPS) {
    const found = said.exec(reason)?.[0];
    if (found !== undefined) return step(source, found);
  }
  return `read the reason and check ${source}'s configuration; tonight's run tries again, or run \`ledgerline sync --source ${source}\``;
}

/** The rest, per entity's books: money in transit a person must look at, mapping gaps, connections, tokens, open items. */
function bookExceptions(facts: ExceptionFacts): Found[] {
  return [
    ...(facts.transit ?? []).flatMap(transitException),
    ...facts.mappingGaps.map((gap): Found => ({
      kind: 'mapping_gap',
      subject: gap.destination,
      what: `account ${gap.account} is booked but ${gap.file} does not map it, so the next post to ${gap.destination} stops on it`,
      since: facts.lastSyncDay,
      nextStep: `add ${gap.account} under accounts: in ${gap.file}, then run \`ledgerline post ${gap.destination}\``,
    })),
    ...facts.connections.map((connection): Found => ({
      kind: 'connection',
      subject: connection.destination,
      what: `${connection.problem}: nothing is posted to ${connection.destination}`,
      since: null,
      nextStep: connection.nextStep,
    })),
    // A connection already listed (expired) is not said twice.
    ...facts.tokens
      .filter((token) => !facts.connections.some((connection) => connection.destination === token.destination))
      .flatMap((token) => tokenException(token, facts.tokenExpiryDays)),
    ...facts.openItems.map((item): Found => ({
      kind: 'open_item',
      subject: item.id,
      what: `${item.message} (it blocks the close of its month)`,
      since: item.date,
      nextStep:
        item.nextStep ??
        `look at it with \`ledgerline reconcile\`; once dealt with, \`ledgerline reconcile ack ${item.id}\``,
    })),
  ];
}

/** The states of a payout or top-up that need a person (transit's exit 1). */
const TRANSIT_STEPS: Readonly<Record<string, (item: TransitFact) => { what: string; nextStep: string }>> = {
  late: (item) => ({
    what: `not seen at the bank ${item.ageDays} days after it was reported`,
    nextStep: `import the bank statement that holds it (\`ledgerline bank import\`), or match its line by hand: \`ledgerline transit match ${item.id} LINE\``,
  }),
  differs: (item) => ({
    what: 'the bank line it took has another amount (a fee withheld?)',
    nextStep: `check the difference; \`ledgerline transit accept ${item.id} --note "why"\` books it to bank fees`,
  }),
  ambiguous: (item) => ({
    what: 'several bank lines fit it equally well',
    nextStep: `choose its line: \`ledgerline transit match ${item.id} LINE\` (\`ledgerline transit\` lists the candidates)`,
  }),
};

function transitException(item: TransitFact): Found[] {
  const step = TRANSIT_STEPS[item.state]?.(item);
  if (step === undefined) return [];
  return [
    {
      kind: 'money_in_transit',
      subject: item.id,
      what: `${item.kind} of ${item.amount} ${item.currency} reported by ${item.source} on ${item.reportedOn}: ${step.what}`,
      since: item.reportedOn,
      nextStep: step.nextStep,
    },
  ];
}

/** A refresh token inside the warning window (or expired), from the day the window opened. */
function tokenException(token: ExceptionFacts['tokens'][number], withinDays: number): Found[] {
  if (token.expiresInDays > withinDays) return [];
  const expired = token.expiresInDays < 0;
  return [
    {
      kind: 'token_expiring',
      subject: token.destination,
      what: `the authorization to post to ${token.destination} ${expired ? 'expired' : 'expires'} on ${token.refreshTokenExpiresAt.slice(0, 10)}${expired ? '' : ` (in ${token.expiresInDays} days)`}`,
      since: addDays(token.refreshTokenExpiresAt.slice(0, 10), -withinDays),
      nextStep: `run \`ledgerline connect ${token.destination}\` again${expired ? `: posting to ${token.destination} fails until then` : ' before then'}`,
    },
  ];
}
