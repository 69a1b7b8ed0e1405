import type { ConfigProblem } from '../errors.js';
import { ROUNDING_ACCOUNT } from '../rules/index.js';
import type { ChartFileEvents, ConfiguredVocabulary, SourceConfigKind } from './config-kinds.js';
import { ACCOUNT_KEY, type JournalRule } from './mappings-schema.js';

/**
 * The configured source kinds' vocabularies as the chart reads them: the event kinds each declares, the accounts
 * and the default destination mappings, each traced to the kind that brought it so a problem names it.
 */

/** One word a kind declares: the kind, where in its vocabulary (`events.counter_earnings`), and the entry as written. */
export interface DeclaredEntry {
  kind: string;
  path: string;
  value: unknown;
}

/** The chart's words a problem names: "counter_earnings (declared by source kind counter)". */
function declaredBy(kind: string): string {
  return `declared by source kind "${kind}"`;
}

/**
 * What the registered source kinds book by the chart file's own rules, in the order they were registered: each kind's
 * `books`, of them those added since the first release, its payouts and top-ups and its reversals. Example: the
 * ad network's and the panel's → publisher_earnings, …, then order_charge, …; since the first release the panel's
 * rounding rules; in transit payout_wire (a payout), …, panel_topup (a top-up); order_refund reversing order_charge.
 */
export function chartFileEvents(kinds: readonly SourceConfigKind[]): ChartFileEvents {
  const union = (words: (vocabulary: NonNullable<SourceConfigKind['vocabulary']>) => readonly string[] | undefined) => [
    ...new Set(kinds.flatMap(({ vocabulary }) => (vocabulary === undefined ? [] : (words(vocabulary) ?? [])))),
  ];
  const merged = <Value>(
    words: (vocabulary: NonNullable<SourceConfigKind['vocabulary']>) => Readonly<Record<string, Value>> | undefined,
  ) =>
    Object.assign(
      {},
      ...kinds.map(({ vocabulary }) => (vocabulary === undefined ? {} : (words(vocabulary) ?? {}))),
    ) as Record<string, Value>;
  return {
    kinds: union((vocabulary) => vocabulary.books),
    sinceFirstRelease: union((v) => v.booksSinceFirstRelease),
    inTransit: merged((v) => v.booksInTransit),
    reversing: merged((v) => v.booksReversing),
  };
}

/**
 * The chart's taxable flows, in the order a `tax:` section's problems list them: the event kinds the chart file
 * rules (`kinds`, each reversal with the flow it takes back), then the flows the configured kinds declare. Example:
 * the shipped kinds and the market plug-in → publisher_earnings: {}, publisher_clawback: { reverses:
 * publisher_earnings }, …, market_sale: {}, market_refund: { reverses: market_sale }.
 */
export function taxableFlows(
  ruled: { kinds: readonly string[]; reversing?: Readonly<Record<string, string>> },
  declared: Readonly<Record<string, { reverses?: string }>> | undefined,
): Record<string, { reverses?: string }> {
  const own = ruled.kinds.map((kind) => {
    const reverses = ruled.reversing?.[kind];
    return [kind, reverses === undefined ? {} : { reverses }] as const;
  });
  return { ...Object.fromEntries(own), ...declared };
}

/**
 * Every event kind the vocabularies declare, by name, with the problems of their names: a name the chart file rules
 * itself (`ruled`: a registered kind's, the panel's order_charge), a name two kinds declare, or a name not spelt as an
 * event kind is refused, naming the kind that declares it.
 */
export function declaredEventKinds(
  vocabularies: readonly ConfiguredVocabulary[],
  ruled: readonly string[],
  chartFile: string,
  problems: ConfigProblem[],
): Map<string, DeclaredEntry> {
  const declared = new Map<string, DeclaredEntry>();
  for (const { kind, events } of vocabularies) {
    for (const [name, value] of Object.entries(events)) {
      const entry = { kind, path: `events.${name}`, value };
      const refuse = (message: string) => problems.push(declaredProblem(chartFile, entry, message));
      if (!ACCOUNT_KEY.test(name)) refuse('an event kind is lower-case letters, digits and _, starting with a letter');
      else if (ruled.includes(name))
        refuse(
          'is a built-in event kind: a source kind declares only kinds of its own, and books the built-in ones without declaring them',
        );
      else if (declared.has(name))
        refuse(`is declared by source kind "${declared.get(name)!.kind}" too: give each its own name`);
      else declared.set(name, entry);
    }
  }
  return declared;
}

/** The accounts the vocabularies declare that the chart file does not define itself (the file's own wins), by key. */
export function declaredAccounts(
  vocabularies: readonly ConfiguredVocabulary[],
  fileKeys: ReadonlySet<string>,
  chartFile: string,
  problems: ConfigProblem[],
): Map<string, DeclaredEntry> {
  const declared = new Map<string, DeclaredEntry>();
  for (const { kind, accounts } of vocabularies) {
    for (const [key, value] of Object.entries(accounts)) {
      if (fileKeys.has(key) || declared.has(key)) continue;
      const entry = { kind, path: `accounts.${key}`, value };
      if (ACCOUNT_KEY.test(key)) declared.set(key, entry);
      else
        problems.push(
          declaredProblem(
            chartFile,
            entry,
            'an account key is lower-case letters, digits and _, starting with a letter',
          ),
        );
    }
  }
  return declared;
}

/** The default entries the vocabularies give a destination kind's mapping (by its name), by account: the first kind to map an account wins. */
export function declaredMappings(
  vocabularies: readonly ConfiguredVocabulary[],
  destination: string,
): Map<string, DeclaredEntry> {
  const declared = new Map<string, DeclaredEntry>();
  for (const { kind, mappings } of vocabularies) {
    for (const [account, value] of Object.entries(mappings?.[destination] ?? {})) {
      if (!declared.has(account)) declared.set(account, { kind, path: `accounts.${account}`, value });
    }
  }
  return declared;
}

/** What a problem with a declared entry says: the file's message, then which kind's vocabulary it came from. */
export function declaredProblem(file: string, entry: DeclaredEntry, message: string): ConfigProblem {
  return { file, path: entry.path, message: `${message} (${declaredBy(entry.kind)})` };
}

/**
 * The chart's rules of the event kinds the configured sources book, when their kinds all say (each kind's own events
 * and the built-in ones it `books`); every rule when no source is configured or a kind says nothing. What a
 * destination's mapping must cover. Example: a payelancer source alone → publisher_earnings, …, advertiser_credit's
 * rules, and no panel event kind's.
 */
export function eventsBookedBy<Rule>(
  events: Readonly<Record<string, Rule>>,
  vocabularies: readonly ConfiguredVocabulary[],
): Readonly<Record<string, Rule>> {
  if (vocabularies.length === 0 || vocabularies.some((vocabulary) => vocabulary.undeclared === true)) return events;
  const booked = new Set(vocabularies.flatMap(({ events: own, books }) => [...Object.keys(own), ...(books ?? [])]));
  return Object.fromEntries(Object.entries(events).filter(([kind]) => booked.has(kind)));
}

/**
 * The accounts a chart's rules book to, each with the event kinds that use it;
 * the rounding account is always used (renderers book cent residue to it).
 */
export function accountsUsedByChart(events: Readonly<Record<string, JournalRule | undefined>>): Map<string, string[]> {
  const used = new Map<string, string[]>([[ROUNDING_ACCOUNT, ['cent rounding']]]);
  for (const [kind, rule] of Object.entries(events)) {
    if (rule === undefined) continue;
    for (const { account } of [...rule.debit, ...rule.credit]) {
      const users = used.get(account) ?? [];
      if (!users.includes(kind)) users.push(kind);
      used.set(account, users);
    }
  }
  return used;
}

/**
 * The taxable flows the vocabularies declare (`taxFlows`), each with the flow it reverses; a flow that is not one of
 * its kind's own events, or a reversal of a flow that is not, is refused naming the kind. Example: the market kind's
 * `{ market_sale: {}, market_refund: { reverses: market_sale } }` → both, market_refund reversing market_sale; none
 * declared → undefined.
 */
export function declaredTaxFlows(
  vocabularies: readonly ConfiguredVocabulary[],
  chartFile: string,
  problems: ConfigProblem[],
): Record<string, { reverses?: string }> | undefined {
  const declared: Record<string, { reverses?: string }> = {};
  for (const { kind, events, taxFlows } of vocabularies) {
    for (const [name, flow] of Object.entries(taxFlows ?? {})) {
      const entry = { kind, path: `taxFlows.${name}`, value: flow };
      const refuse = (message: string) => problems.push(declaredProblem(chartFile, entry, message));
      const own = (event: string) => Object.hasOwn(events, event);
      if (!own(name)) refuse(`is not an event kind "${kind}" declares: a taxable flow is one of its own events`);
      else if (flow.reverses !== undefined && (flow.reverses === name || !own(flow.reverses)))
        refuse(`reverses "${flow.reverses}", which is not another event kind "${kind}" declares`);
      else declared[name] = flow.reverses === undefined ? {} : { reverses: flow.reverses };
    }
  }
  return Object.keys(declared).length === 0 ? undefined : declared;
}
