import { afterAll, beforeAll } from 'vitest';
import { registerDestinationKind } from '../../../src/pipeline/kinds/index.js';
import { journalApiDestination } from './journal-api-destination.js';

/** The journal-api destination joins the registry for the calling file's tests and leaves it after (as use-csv-journal.ts). */
export function useJournalApiDestination(): void {
  let unregister: (() => void) | undefined;
  beforeAll(() => {
    unregister = registerDestinationKind(journalApiDestination);
  });
  afterAll(() => unregister?.());
}
