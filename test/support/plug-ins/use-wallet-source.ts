import { afterAll, beforeAll } from 'vitest';
import { registerSourceKind } from '../../../src/pipeline/kinds/index.js';
import { walletSourceKind } from './wallet-source.js';

/** The wallet source joins the registry for the calling file's tests and leaves it after (as use-listing-source.ts). */
export function useWalletSource(): void {
  let unregister: (() => void) | undefined;
  beforeAll(() => {
    unregister = registerSourceKind(walletSourceKind);
  });
  afterAll(() => unregister?.());
}
