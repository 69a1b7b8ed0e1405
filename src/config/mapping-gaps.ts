import type { DestinationMappingKind } from './config-kinds.js';
import { valueAt } from './key-path.js';
import { destinationMappingPath } from './mappings-loader.js';
import { readYamlFile } from './yaml-file.js';

/** An account the ledger books to that a destination's mapping file does not name: that destination's post will refuse it. */
export interface MappingGap {
  account: string;
  /** The destination kind's name: `post xero`. */
  destination: string;
  /** The mapping file to edit. */
  file: string;
}

/**
 * The accounts among `booked` each destination's mapping file leaves out, read as the file stands (a file that
 * does not read is left to `doctor` and `post`, which name its problems). Example: booked panel_opening_equity,
 * xero.yaml without it → { account: panel_opening_equity, destination: xero, file: …/mappings/xero.yaml }.
 */
export function mappingGaps(
  chartPath: string,
  kinds: readonly DestinationMappingKind[],
  booked: Iterable<string>,
): MappingGap[] {
  const accounts = [...new Set(booked)].sort();
  return kinds.flatMap((kind) => {
    const file = destinationMappingPath(chartPath, kind);
    const read = readYamlFile(file, { failsafe: true });
    if (!read.ok) return [];
    const mapped = valueAt(read.yaml.value, ['accounts']);
    const has = (account: string) => typeof mapped === 'object' && mapped !== null && Object.hasOwn(mapped, account);
    return accounts.filter((account) => !has(account)).map((account) => ({ account, destination: kind.kind, file }));
  });
}
