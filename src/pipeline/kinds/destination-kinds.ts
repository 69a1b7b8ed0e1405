import type { Config, ConfigKinds } from '../../config/index.js';
import type { PostDestination } from '../post/index.js';
import { addDays, fiscalYearOf } from '../../calendar/index.js';
import type { LedgerExportFormat, LedgerExportRequest } from '../../reads/index.js';
import type { DestinationApi, DestinationExportFormat, DestinationKind } from '../../destinations/index.js';
import { datevDestination } from '../../destinations/datev/datev-kind.js';
import { fecDestination } from '../../destinations/fec/fec-kind.js';
import { genericDestination } from '../../destinations/csv/generic-kind.js';
import { beancountDestination, hledgerDestination } from '../../destinations/plain-text/plain-text-kind.js';
import { quickbooksDestination } from '../../destinations/quickbooks/quickbooks-kind.js';
import { xeroDestination } from '../../destinations/xero/xero-kind.js';
import { sourceKinds } from './source-kinds.js';

/** What a kind's export is handed: the request, with the configured sources' balance accounts and the window's fiscal year. */
type DestinationExportRequest = Parameters<DestinationExportFormat['write']>[1];

/** A kind with an API: one `post`, `doctor --to`, `reconcile --with` and `connect` take. */
export type ApiDestinationKind = DestinationKind & { readonly api: DestinationApi };

/** The kinds ledgerline ships, one line each, in the order help lists them. */
const kinds: DestinationKind[] = [
  genericDestination,
  xeroDestination,
  quickbooksDestination,
  hledgerDestination,
  beancountDestination,
  datevDestination,
  fecDestination,
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

/** The fiscal year holding the window's last day (else its first, else the day before the export was made), by `yearEnd` ("MM-DD"). */
function fiscalYearOfWindow(request: LedgerExportRequest, yearEnd: string | undefined) {
  if (yearEnd === undefined) return undefined;
  return fiscalYearOf(request.to ?? request.from ?? addDays(request.madeAt.slice(0, 10), -1), yearEnd);
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
  /**
   * The configuration's sections an entry is delivered to, in its order: a file format's section (DATEV's, the FEC's)
   * is settings for an export, with nothing to deliver. `rates` and names no kind has pass as they always did.
   */
  delivering(config: Pick<Config, 'destinations'>): string[] {
    return Object.keys(config.destinations).filter(
      (name) => destinationKinds.named(name)?.api !== undefined || destinationKinds.named(name) === undefined,
    );
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
    return kinds.flatMap(({ name, exportFormat: format }) => {
      if (format === undefined) return [];
      const { fileExtension, charset, mediaType, fileName, statesWhenMade } = format;
      const asKindAsks = (request: LedgerExportRequest): DestinationExportRequest => ({
        ...request,
        balanceAccounts: sourceKinds.balanceAccounts(request.config.sources),
        fiscalYear: fiscalYearOfWindow(request, format.fiscalYearEnd?.(request.config)),
      });
      return [
        {
          name,
          fileExtension,
          charset,
          mediaType,
          statesWhenMade,
          ...(fileName && { fileName: (request: LedgerExportRequest) => fileName(asKindAsks(request)) }),
          write: (reads, request, out, endOut) => format.write(reads, asKindAsks(request), out, endOut),
        },
      ];
    });
  },
};

/** Every kind the configuration may name, for `loadConfig`. */
export function configKinds(): ConfigKinds {
  return { sources: sourceKinds.config(), destinations: destinationKinds.all().flatMap((kind) => kind.config ?? []) };
}
