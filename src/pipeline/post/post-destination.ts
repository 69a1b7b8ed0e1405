import type { Config, DestinationMappingKind, Mappings } from '../../config/index.js';
import type {
  DestinationClient,
  DestinationClientDependencies,
  EvidenceAttachmentClient,
} from '../../destinations/index.js';
import type { BankDocumentsAt } from './transit-documents.js';

/** A destination as a post opens it, handed in by the caller from the destination kinds (pipeline/kinds). */
export interface PostDestination {
  /** The kind's name: `post xero`, the outbox's and the token store's key. */
  readonly name: string;
  /** The mapping file its client reads beside the chart (xero.yaml). */
  readonly mapping?: DestinationMappingKind | undefined;
  createClient(
    config: Config,
    mappings: Mappings,
    dependencies: DestinationClientDependencies,
  ): Promise<DestinationClient>;
  /** Its bank-side documents' client, when its section says `transit.createBankDocuments: true`; undefined otherwise. */
  openBankDocuments?(
    config: Config,
    mappings: Mappings,
    dependencies: DestinationClientDependencies,
  ): Promise<BankDocumentsAt | undefined>;
  /** Whether its section says `evidence: attach` (absent: it never attaches evidence). */
  attachesEvidence?(config: Config): boolean;
  /** Its evidence attachments' client, when its section says `evidence: attach`; undefined otherwise. */
  openEvidenceAttachments?(
    config: Config,
    mappings: Mappings,
    dependencies: DestinationClientDependencies,
  ): Promise<EvidenceAttachmentClient | undefined>;
}
