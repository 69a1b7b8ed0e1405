import type { SourceConfig } from '../../config/index.js';
import type { Clock, HttpClient } from '../../http/index.js';

/**
 * What `doctor` needs of a kind of source: one cheap, read-only call that
 * proves the URL and the key. The registry (src/pipeline/kinds) bundles it
 * with the kind's other parts.
 */
export interface SourceProbe {
  readonly kind: string;
  /** What the call reads, for the checklist: "balance". */
  readonly probeSubject: string;
  /** The entry's fields the fix names when the call fails: "url". */
  readonly addressField: string;
  /**
   * What the source answered, in words; a failure is thrown as the LedgerlineError the client raised.
   * `day` is today in the books' time zone, for a source that reads a day's window.
   */
  probe(source: SourceConfig, io: { http: HttpClient; clock: Clock; day: string; timeZone: string }): Promise<string>;
}

/** The probe of a configured source's kind. */
export type SourceProbes = (source: SourceConfig) => SourceProbe;
