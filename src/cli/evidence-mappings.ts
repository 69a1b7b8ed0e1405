import type { Config } from '../config/index.js';
import type { EvidenceMapping } from '../ledger/index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import { evidenceMappings } from '../pipeline/operations/index.js';

/**
 * The mappings every evidence file of this configuration names: the chart and the mapping file of each destination
 * configured under `destinations:` (in help's order), so `ledgerline evidence` and an attaching post make the same bytes.
 */
export function evidenceMappingsOf(config: Config): EvidenceMapping[] {
  const kinds = destinationKinds.all().flatMap((kind) => (kind.mapping !== undefined && kind.name in config.destinations ? [kind.mapping] : []));
  return evidenceMappings(config.mappings, kinds);
}
