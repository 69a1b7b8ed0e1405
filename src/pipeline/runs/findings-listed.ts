import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config/index.js';

// Apart from the sync's report (sync-report.ts), so that reconcile's read model (reads/reconcile-report.ts), which
// `report` and `serve` load, does not bring the sync's alerts and money with it.

export type ItemClass = 'action' | 'information';

/**
 * Each finding kind's class, as the kinds of source that raise it declare it in their words (`findings`, the
 * registry's findingWords). Information needs nobody: the rules already booked it and a later close checks it (a
 * computed refund the next balance confirms or contradicts, in which case a balance finding is an action item),
 * or it says why nothing was booked (a payout below the minimum is carried forward). See docs/accounting.md.
 */
export type FindingClasses = Readonly<Record<string, { readonly class?: ItemClass }>>;

/**
 * Whether an item of `kind` needs a person (`action`) or is listed for the record (`information`): a kind no
 * registered kind declares, or declares without a class, is an action item.
 */
export function itemClass(kind: string, classes: FindingClasses): ItemClass {
  return (Object.hasOwn(classes, kind) ? classes[kind]?.class : undefined) ?? 'action';
}

/**
 * Up to this many findings of one kind, for one source and one day (one run's close), are listed one by one;
 * more are listed once, with their count, and their refs (order ids, mostly) go to a file the line names.
 * An orders file of 200,000 ids the panel does not know made 200,000 `unknown_order` lines: the sync died
 * printing them (a spread past the call stack) and `reconcile` printed 400,007 lines.
 */
const LISTED_ONE_BY_ONE = 10;

/** What grouping needs of a listed item: reconcile's items and a sync's findings both have these. */
interface GroupableItem {
  kind: string;
  date: string;
  ref: string;
  message: string;
}

/** Many findings of one kind, source and day, listed once. */
export interface FindingGroup<T> {
  /** `findings:<source>:<kind>:<date>`: what `reconcile ack` takes. */
  id: string;
  members: T[];
  /** Their refs, one a line. */
  refsFile: string;
  /** "200000 unknown_order findings on 2026-03-03 (the first: …); every ref, one a line, in …" */
  message: string;
}

type Listed<T> = { item: T } | { group: FindingGroup<T> };

/** Where the ref files of grouped findings go: `findings/` beside the configuration file. */
export function findingsFolder(config: Pick<Config, 'file'>): string {
  return join(dirname(config.file), 'findings');
}

/**
 * The items in their order, those of a kind, source and day met more than LISTED_ONE_BY_ONE times replaced by
 * one group at the place of the first, their refs written to `<folder>/<group id>.txt` (the same name each
 * time, so a re-run rewrites it). 200,000 unknown ids: one line, "200000 unknown_order findings on 2026-03-03
 * (the first: …); every ref, one a line, in …/findings/findings-smm-panel-unknown_order-2026-03-03.txt".
 */
export function listedOnceByKind<T extends GroupableItem>(
  items: readonly T[],
  sourceOf: (item: T) => string,
  folder: string,
): Listed<T>[] {
  const members = new Map<string, T[]>();
  for (const item of items) {
    const key = `${sourceOf(item)}:${item.kind}:${item.date}`;
    const list = members.get(key);
    if (list === undefined) members.set(key, [item]);
    else list.push(item);
  }
  const listed: Listed<T>[] = [];
  for (const item of items) {
    const key = `${sourceOf(item)}:${item.kind}:${item.date}`;
    const group = members.get(key);
    if (group === undefined) continue;
    if (group.length <= LISTED_ONE_BY_ONE) {
      listed.push({ item });
      continue;
    }
    members.delete(key);
    listed.push({ group: groupOf(group, `findings:${key}`, folder) });
  }
  return listed;
}

function groupOf<T extends GroupableItem>(members: T[], id: string, folder: string): FindingGroup<T> {
  const refsFile = join(folder, `${id.replace(/[^A-Za-z0-9._-]/g, '-')}.txt`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(refsFile, `${members.map((item) => item.ref).join('\n')}\n`);
  const first = members[0]!;
  return {
    id,
    members,
    refsFile,
    message: `${members.length} ${first.kind} findings on ${first.date} (the first: ${first.message}); every ref, one a line, in ${refsFile}`,
  };
}

/** The members' amounts summed, when every one has an amount and all are in one currency; else undefined. */
export function summedAmount<T>(
  members: readonly T[],
  amountOf: (item: T) => { micros: bigint; currency: string } | undefined,
): { micros: bigint; currency: string } | undefined {
  let sum: { micros: bigint; currency: string } | undefined;
  for (const member of members) {
    const amount = amountOf(member);
    if (amount === undefined || (sum !== undefined && sum.currency !== amount.currency)) return undefined;
    sum = { micros: (sum?.micros ?? 0n) + amount.micros, currency: amount.currency };
  }
  return sum;
}
