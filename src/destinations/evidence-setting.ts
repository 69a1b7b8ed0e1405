import { z } from 'zod';

/**
 * `evidence` in a destination's section of ledgerline.yaml: what happens to each posted journal's evidence file
 * (ledger/entry-evidence.ts) there. attach: the journal names the manifest's hash (Xero Narration, QuickBooks
 * PrivateNote) and the file is attached to it once; local: nothing is sent, `ledgerline evidence` writes it;
 * off (the default): nothing of it reaches the destination, every request stays as it was.
 * Example: `evidence: attach` under `destinations.xero` → Narration "Panel charges · evidence sha256:9f… [je:…]".
 */
export const evidenceSetting = z.enum(['attach', 'local', 'off']);
export type EvidenceSetting = z.output<typeof evidenceSetting>;
