import type { z } from 'zod';
import type { SourceKind } from '../../pipeline/kinds/source-kind.js';
import {
  asBankStatementSource,
  BANK_STATEMENT_KIND,
  bankStatementSourceEntry,
  resolveBankStatementSource,
} from './bank-statement-config.js';
import { bankOpeningEntry } from './rules/bank-opening.js';
import { bankStatementVocabulary } from './bank-statement-vocabulary.js';

/**
 * A bank account: its statements (camt.053, OFX, CSV) arrive by `ledgerline bank import FILE --account ID`,
 * not by the nightly close, and book nothing: the ledger already moved each payout and top-up to its clearing
 * account, and a bank line is the evidence that settles it (`ledgerline transit`). So the close, the replay and
 * doctor's probe have nothing to read.
 */
export const bankStatementSourceKind: SourceKind = {
  kind: BANK_STATEMENT_KIND,
  get entrySchema() {
    return bankStatementSourceEntry();
  },
  vocabulary: bankStatementVocabulary,
  // The loader hands resolve only what entrySchema validated, which is the schema's output (its transit written, not resolved).
  resolve: (entry, placement) =>
    resolveBankStatementSource(entry as unknown as z.output<ReturnType<typeof bankStatementSourceEntry>>, placement),
  close: async ({ source }) => ({
    sourceId: source.id,
    outcome: 'booked',
    events: 0,
    entries: [],
    findings: [],
    quarantined: 0,
  }),
  closesToReplay: async () => 0,
  replay: async (_run, source) => ({
    sourceId: source.id,
    days: new Map(),
    closesInWindow: 0,
    rereads: [],
    orderCorrections: [],
    unreadable: [],
    adoptAsLive: async () => {},
  }),
  probeSubject: 'statements',
  addressField: 'csv',
  probe: async (source) =>
    `statements arrive by "ledgerline bank import FILE --account ${source.id}"; there is nothing to call`,
  reportFacts: () => ({}),
  // A statement is dated: one of any past day may be imported, so its source may start on any day.
  readsPastDays: true,
  capabilities: {
    statements: {
      // Loaded on first use: a reading command (balances) loads no statement reader.
      importStatement: async (books, path, account, options) =>
        (await import('./import-statement.js')).importStatement(books, path, asBankStatementSource(account), options),
      openingEntry: bankOpeningEntry,
    },
  },
};

export type { BankStatementSourceConfig } from './bank-statement-config.js';
export { readStatement } from './read-statement.js';
