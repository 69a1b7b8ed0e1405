import type { SourceReplayer } from '../../pipeline/backfill/index.js';
import type { SourceCloser } from '../../pipeline/sync/index.js';
import { PAYELANCER_KIND } from './payelancer-config.js';

const runtime = () => import('./payelancer-runtime.js');

/**
 * The ad network's close and replay as the kind object (index.ts) bundles them: each loads its module when a
 * command first calls it, so a command that only reads the books never loads the ad network's client, close
 * or replay.
 */
export const payelancerLazyCloser: SourceCloser = {
  kind: PAYELANCER_KIND,
  close: async (take) => (await runtime()).payelancerCloser.close(take),
};

export const payelancerLazyReplayer: SourceReplayer = {
  kind: PAYELANCER_KIND,
  closesToReplay: async (books, source, window) =>
    (await runtime()).payelancerReplayer.closesToReplay(books, source, window),
  replay: async (run, source, options) => (await runtime()).payelancerReplayer.replay(run, source, options),
};
