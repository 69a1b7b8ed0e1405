import { afterAll, beforeAll } from 'vitest';
import { registerDestinationKind } from '../../../src/pipeline/kinds/index.js';
import { csvJournalDestination } from './csv-journal-destination.js';

/**
 * The csv-journal destination joins the registry for the calling file's tests, as a user's plug-in would at start-up,
 * and leaves it after: the files of a worker share one process, and another file's help must not list it.
 */
export function useCsvJournalDestination(): void {
  const unregister: (() => void)[] = [];
  beforeAll(() => {
    unregister.push(registerDestinationKind(csvJournalDestination));
  });
  afterAll(() => {
    for (const undo of unregister.splice(0)) undo();
  });
}
