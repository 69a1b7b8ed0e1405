import { afterAll, beforeAll } from 'vitest';
import { registerSourceKind } from '../../../src/pipeline/kinds/index.js';
import { listingSourceKind } from './listing-source.js';

/** The listing source joins the registry for the calling file's tests and leaves it after (as use-counter-source.ts). */
export function useListingSource(): void {
  let unregister: (() => void) | undefined;
  beforeAll(() => {
    unregister = registerSourceKind(listingSourceKind);
  });
  afterAll(() => unregister?.());
}
