import { afterAll, beforeAll } from 'vitest';
import { registerSourceKind } from '../../../src/pipeline/kinds/index.js';
import { counterSourceKind } from './counter-source.js';

/**
 * The counter source joins the registry for the calling file's tests, as a user's plug-in would at start-up,
 * and leaves it after: the files of a worker share one process, and another file must not see `kind: counter`.
 */
export function useCounterSource(): void {
  let unregister: (() => void) | undefined;
  beforeAll(() => {
    unregister = registerSourceKind(counterSourceKind);
  });
  afterAll(() => unregister?.());
}
