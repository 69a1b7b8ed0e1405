import type { ConfigProblem } from '../errors.js';
import type { ExpandedNeeds } from './config-needs.js';
import type { ConfigKinds } from './config-kinds.js';
import { didYouMean } from './did-you-mean.js';
import { isPlainRecord, valueAt, type KeyPath } from './key-path.js';
import { isPostgresUrl } from './ledger-location.js';

/**
 * Checks that look across the file, run on the document as written (after
 * `${VAR}`s) so that they are reported together with every field problem,
 * not only once the fields are right.
 */
export function crossCheckProblems(
  document: unknown,
  needs: ExpandedNeeds,
  problemAt: (path: KeyPath, message: string) => ConfigProblem,
  kinds: ConfigKinds,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sources = valueAt(document, ['sources']);
  const entries = Array.isArray(sources) ? sources.map((source: unknown) => (isPlainRecord(source) ? source : {})) : [];
  const firstIndexOfId = new Map<string, number>();
  entries.forEach((source, index) => {
    if (typeof source.id !== 'string') return;
    const earlier = firstIndexOfId.get(source.id);
    if (earlier === undefined) firstIndexOfId.set(source.id, index);
    else problems.push(problemAt(['sources', index, 'id'], `id "${source.id}" is already used by sources[${earlier}]`));
  });

  if (needs.sources !== 'all') {
    for (const id of needs.sources) {
      if (!firstIndexOfId.has(id))
        problems.push(problemAt(['sources'], `no source has id "${id}"${didYouMean(id, firstIndexOfId.keys())}`));
    }
  }
  for (const destination of needs.destinations) {
    if (valueAt(document, ['destinations', destination]) === undefined) {
      problems.push(problemAt(['destinations', destination], 'is not configured, and this command needs it'));
    }
  }
  if (needs.webhooks && valueAt(document, ['webhooks']) === undefined) {
    problems.push(problemAt(['webhooks'], 'is not configured, and this command needs it (at least a secret)'));
  }
  if (needs.schedule && valueAt(document, ['schedule']) === undefined) {
    problems.push(problemAt(['schedule'], 'is not configured, and this command needs it (at least a cron expression)'));
  }
  // With `entities:`, each entity's ledger: the queue lives in the first's database, each worker closes in its own.
  const entities = valueAt(document, ['entities']);
  const ledgers =
    typeof entities === 'object' && entities !== null
      ? Object.keys(entities).map((name) => valueAt(document, ['entities', name, 'ledger']))
      : [valueAt(document, ['ledger'])];
  const onPostgres = (ledger: unknown) => typeof ledger === 'string' && isPostgresUrl(ledger);
  if (valueAt(document, ['schedule', 'queue']) === true && !ledgers.every(onPostgres)) {
    problems.push(
      problemAt(
        ['schedule', 'queue'],
        'needs a PostgreSQL ledger, whose database holds the job queue: set `ledger` to postgres://user@host:5432/database, or remove queue',
      ),
    );
  }
  const cron = valueAt(document, ['schedule', 'cron']);
  if (valueAt(document, ['schedule', 'queue']) === true && typeof cron === 'string') {
    const problem = queuedNightSecondProblem(cron);
    if (problem !== undefined) problems.push(problemAt(['schedule', 'cron'], problem));
  }
  const scheduled = valueAt(document, ['schedule', 'post']);
  // An unknown name in schedule.post is the schema's to report; only a destination kind's section must be there.
  const destinationKinds = new Set(kinds.destinations.map((kind) => kind.kind));
  if (Array.isArray(scheduled)) {
    scheduled.forEach((destination: unknown, index) => {
      if (
        typeof destination === 'string' &&
        destinationKinds.has(destination) &&
        valueAt(document, ['destinations', destination]) === undefined
      ) {
        problems.push(problemAt(['schedule', 'post', index], `destinations.${destination} is not configured`));
      }
    });
  }
  return problems;
}

/**
 * On the queue a night may start only at second 0 of its minute. pg-boss sends a schedule at any check within
 * 60 s of its time, once per clock minute: "15 30 2 * * *" is due at 02:30:15, sent by a check at 02:30:20 and
 * again by one at 02:31:00 (a new clock minute, still within 60 s), so the night would run twice. A time at :00
 * keeps its 60 s inside one clock minute. Five fields (minute first) are at second 0 already.
 */
function queuedNightSecondProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6 || /^0+$/.test(fields[0]!)) return undefined;
  return (
    `"${cron}" starts the night at second ${fields[0]}: with schedule.queue a night starts at ` +
    `second 0 of its minute (the queue sends a due night once per clock minute, and a time past ` +
    `:00 spans two, so the night would run twice): write "${fields.slice(1).join(' ')}"`
  );
}
