import { afterAll, beforeAll } from 'vitest';
import { registerDestinationKind } from '../../../src/pipeline/kinds/index.js';
import { csvJournalDestination } from './csv-journal-destination.js';

/**
 * The test plug-ins join the registries for the calling file's tests, as a user's plug-in would at start-up,
 * and leave them after: the files of a worker share one process, and another file's help must not list them.
 */
export function useTestPlugIns(): void {
  const unregister: (() => void)[] = [];
  beforeAll(() => {
    unregister.push(registerDestinationKind(csvJournalDestination));
  });
  afterAll(() => {
    for (const undo of unregister.splice(0)) undo();
  });
}
