import { configFingerprint, type Config } from '../config/index.js';
import { configMappings } from './configured-books.js';
import { ConfigError } from '../errors.js';
import type { CloseJob } from '../pipeline/sync/index.js';
import type { EventRules, TaxBook } from '../rules/index.js';

/** The configuration and chart a worker read last for each entity ('' without entities), with the fingerprints of their bytes. */
export type ReadConfiguration = Map<string, KeptConfiguration>;
type KeptConfiguration = { configFingerprint: string; chartFingerprint: string } & JobConfiguration;
/** A close job's configuration, its chart's rules and its chart's tax book. */
type JobConfiguration = { config: Config; chart: EventRules; taxBook: TaxBook | undefined };

/** Where a worker reads its configuration again: the file its command names, found afresh, and an entity's read whole from it. */
export interface ConfigurationSource {
  file(): string;
  load(entity: string | undefined): Config;
}

/**
 * The configuration a close job runs with: the file read again for each job, so a change made after the worker
 * started (a source's new ordersFile, a new source) is used by the next close. A job queued under another file
 * (another fingerprint: this worker was given a different copy) is refused, naming both, and retried.
 * The file and the chart are parsed again only when their bytes changed: parsing a 200-source file for each
 * of its 200 closes was a third of a worker's CPU, and the lanes of one worker queued behind it.
 */
export function jobConfiguration(
  source: ConfigurationSource,
  job: CloseJob,
  read: ReadConfiguration,
): JobConfiguration {
  let kept = read.get(job.entity ?? '');
  const configFile = source.file();
  if (
    kept === undefined ||
    fingerprintOrNone(configFile) !== kept.configFingerprint ||
    fingerprintOrNone(kept.config.mappings) !== kept.chartFingerprint
  ) {
    kept = keptOf(source.load(job.entity));
    read.set(job.entity ?? '', kept);
  }
  const { config, chart, taxBook, configFingerprint: fingerprint } = kept;
  // A missing source says more than a fingerprint: that refusal (below, in takeClose) comes first.
  const hasSource = config.sources.some((source) => source.id === job.sourceId);
  if (hasSource && job.configFingerprint !== undefined && job.configFingerprint !== fingerprint) {
    throw new ConfigError([
      {
        file: config.file,
        path: '(the whole file)',
        message:
          `is configuration ${fingerprint}, but the close of ${job.sourceId} for ${job.day} was queued under configuration ${job.configFingerprint}: ` +
          'give every worker the same configuration file as the machine that queues (the job is retried, and this worker reads its file again for each try)',
      },
    ]);
  }
  return { config, chart, taxBook };
}

/**
 * Each entity's configuration, as the worker read it to start, and its chart, read before the worker takes jobs:
 * otherwise each worker's first close of the night parsed both (for 40 sources, most of that close's CPU). A chart
 * that cannot be read is left to the first close, which fails for it as before.
 */
export function readAtStart(configs: readonly Config[]): ReadConfiguration {
  const read: ReadConfiguration = new Map();
  for (const config of configs) {
    const kept = attempt(() => keptOf(config));
    if (kept !== undefined) read.set(config.entity ?? '', kept);
  }
  return read;
}

function keptOf(config: Config): KeptConfiguration {
  const mappings = configMappings(config);
  return {
    configFingerprint: configFingerprint(config.file),
    chartFingerprint: configFingerprint(config.mappings),
    config,
    chart: mappings.chart.events,
    taxBook: mappings.chart.taxBook,
  };
}

/** The fingerprint of a file's bytes, or none when it cannot be read (the full read then says why). */
function fingerprintOrNone(file: string): string | undefined {
  return attempt(() => configFingerprint(file));
}

/** What `read` returns, or undefined when it throws (a later, full read says why). */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
