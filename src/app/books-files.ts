import { dirname, join } from 'node:path';
import { isPostgresUrl, type Config } from '../config/index.js';
import { destinationKinds, sourceKinds } from '../pipeline/kinds/index.js';
import { certificateFolder } from '../pipeline/operations/index.js';

/** A file (or a folder: everything in it) the books depend on, and how a refusal names it. */
export interface BooksFile {
  path: string;
  what: string;
  folder?: boolean;
}

/**
 * Everything the books depend on that a file written whole (an `--out`) would replace (issue 84): the SQLite ledger
 * and its journal files, the configuration, the chart and each destination's mapping beside it, the token store,
 * the witness file, the close certificates' folder and each source's spool. Example: `export --out
 * witness/heads.jsonl` replaced the witness with a CSV, after which verify said "witness not read" and exited 0.
 */
export function booksFiles(config: Config): BooksFile[] {
  const ledger: BooksFile[] = isPostgresUrl(config.ledger)
    ? []
    : [
        { path: config.ledger, what: "this configuration's ledger" },
        ...['-wal', '-shm', '-journal'].map((suffix) => ({
          path: `${config.ledger}${suffix}`,
          what: `the ledger's ${suffix} file`,
        })),
      ];
  const mappings = destinationKinds
    .all()
    .flatMap(({ mapping }) =>
      mapping === undefined
        ? []
        : [{ path: join(dirname(config.mappings), mapping.fileName), what: `${mapping.title}'s mapping` }],
    );
  const spools = config.sources.flatMap((source) => sourceKinds.spoolOf(source) ?? []);
  return [
    ...ledger,
    { path: config.file, what: 'this configuration' },
    { path: config.mappings, what: 'the chart (mappings)' },
    ...mappings,
    { path: config.tokenStore, what: 'the token store' },
    { path: config.witness.file, what: 'the witness file' },
    { path: certificateFolder(config), what: 'the close certificates folder', folder: true },
    ...spools,
  ];
}
