import type { Config } from '../../config/index.js';
import type { PostDestination } from '../post/index.js';
import type { LedgerExportFormat } from '../../reads/index.js';
import type { DestinationApi, DestinationKind } from '../../destinations/index.js';
import { genericDestination } from '../../destinations/csv/generic-kind.js';
import { beancountDestination, hledgerDestination } from '../../destinations/plain-text/plain-text-kind.js';
import { quickbooksDestination } from '../../destinations/quickbooks/quickbooks-kind.js';
import { xeroDestination } from '../../destinations/xero/xero-kind.js';
import { sourceKinds } from './source-kinds.js';

/** A kind with an API: one `post`, `doctor --to`, `reconcile --with` and `connect` take. */
export type ApiDestinationKind = DestinationKind & { readonly api: DestinationApi };

/** The kinds ledgerline ships, one line each, in the order help lists them. */
const kinds: DestinationKind[] = [
  genericDestination,
  xeroDestination,
  quickbooksDestination,
  hledgerDestination,
  beancountDestination,
];

/**
 * Adds a kind of destination (a plug-in): from then on the commands, help and configuration offer it like a
 * built-in one. A name already taken is refused, so a plug-in cannot replace a kind by accident. Returns what
 * takes it out again: the registry lives as long as the process, and test files share their process.
 */
export function registerDestinationKind(kind: DestinationKind): () => void {
  if (kinds.some((known) => known.name === kind.name))
    throw new Error(`a destination kind named "${kind.name}" is already registered`);
  // destinations.rates is the exchange rates every destination converts at, not a kind's section.
  if (kind.name === 'rates')
    throw new Error('"rates" is destinations.rates in the configuration; name the destination kind otherwise');
  if (kind.config !== undefined && kind.config.kind !== kind.name)
    throw new Error(`destination kind "${kind.name}" brings the configuration of "${kind.config.kind}"`);
  if (kind.mapping !== undefined && kind.mapping.kind !== kind.name)
    throw new Error(`destination kind "${kind.name}" brings the mapping file of "${kind.mapping.kind}"`);
  kinds.push(kind);
  return () => {
    const at = kinds.indexOf(kind);
    if (at >= 0) kinds.splice(at, 1);
  };
}

/** What the commands ask of the registered kinds: never a kind by its name, always the ones with a capability. */
export const destinationKinds = {
  all(): readonly DestinationKind[] {
    return [...kinds];
  },
  named(name: string): DestinationKind | undefined {
    return kinds.find((kind) => kind.name === name);
  },
  /** The kinds with an API, in help's order: post's, doctor's, reconcile's and connect's choices. */
  withApi(): ApiDestinationKind[] {
    return kinds.filter((kind): kind is ApiDestinationKind => kind.api !== undefined);
  },
  /** A kind with an API as a post opens it; undefined for a name no such kind has. */
  postDestination(name: string): PostDestination | undefined {
    const kind = destinationKinds.withApi().find((known) => known.name === name);
    if (kind === undefined) return undefined;
    const { api } = kind;
    const { openBankDocuments, attachesEvidence, openEvidenceAttachments } = api;
    return {
      name: kind.name,
      mapping: kind.mapping,
      createClient: (...opened) => api.createClient(...opened),
      ...(openBankDocuments && { openBankDocuments: (...opened) => openBankDocuments(...opened) }),
      ...(attachesEvidence && { attachesEvidence: (config) => attachesEvidence(config) }),
      ...(openEvidenceAttachments && { openEvidenceAttachments: (...opened) => openEvidenceAttachments(...opened) }),
    };
  },
  /** The kinds whose sections ask for bank-side documents of payouts and top-ups: what makes money in transit followed. */
  creatingBankDocuments(config: Config): string[] {
    return destinationKinds.withApi().flatMap((kind) => (kind.api.createsBankDocuments(config) ? [kind.name] : []));
  },
  /** `export --format`'s choices, in help's order, each handed the balance accounts of the configured sources' kinds. */
  exportFormats(): LedgerExportFormat[] {
    return kinds.flatMap(({ name, exportFormat: format }) =>
      format === undefined
        ? []
        : [
            {
              name,
              fileExtension: format.fileExtension,
              write: (reads, request, out, endOut) =>
                format.write(
                  reads,
                  { ...request, balanceAccounts: sourceKinds.balanceAccounts(request.config.sources) },
                  out,
                  endOut,
                ),
            },
          ],
    );
  },
};
