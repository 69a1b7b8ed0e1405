/**
 * What attaching evidence needs of a destination: the files a journal holds, by file name, and an upload that
 * returns the attachment's id, or throws OutcomeUnknownError when the destination may or may not have kept it
 * (the caller looks the journal's files up before uploading again), or another LedgerlineError when it did not.
 */
export interface EvidenceAttachmentClient {
  /** As messages name it: "Xero", "QuickBooks". */
  readonly name: string;
  /** The files attached to the journal, by file name, each with its attachment id. */
  attached(journalId: string): Promise<Map<string, string>>;
  attach(journalId: string, file: { fileName: string; bytes: Buffer }): Promise<string>;
  /** Closes the connections it holds. */
  close(): Promise<void>;
}
