/** The post use case: deliver journal entries to a destination with an API exactly once (post.ts), its plan for --dry-run, and its queue job. */
export { postEntries, type PostOptions, type PostReport, type RefusedEntry } from './post-entries.js';
export { planPost } from './post-plan.js';
export { budgetedClient } from './call-budget.js';
export { type PostJob, type PostJobOutput, PostJobOutputSchema, PostJobSchema, postKey } from './post-job.js';
export { postOutbox, type DeliveryWindow, type PostOutbox } from './books/post-outbox.js';
export { bankDocumentOutbox, type BankDocumentOutbox } from './books/bank-document-outbox.js';
export { openDestination, postInRun, readTransitDocuments } from './recorded-post.js';
export type { PostDestination } from './post-destination.js';
export { bankDocumentsLine, createTransitDocuments, type TransitDocumentBooks } from './transit-documents.js';
export { renderPostReport, renderPostRun } from './post-text.js';
export { attachEvidence } from './evidence-attachments.js';
export { evidenceAttachmentOutbox, type EvidenceAttachmentOutbox } from './books/evidence-attachment-outbox.js';
