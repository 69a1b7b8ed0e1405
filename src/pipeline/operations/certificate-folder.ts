import { dirname, join } from 'node:path';
import { isPostgresUrl, type Config } from '../../config/index.js';

/** Where close certificates are kept: beside the SQLite file, or beside the configuration of a PostgreSQL ledger. */
export function certificateFolder(config: Config): string {
  return join(isPostgresUrl(config.ledger) ? dirname(config.file) : dirname(config.ledger), 'certificates');
}
