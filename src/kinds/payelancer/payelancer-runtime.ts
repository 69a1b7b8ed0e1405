import { stagedReplayer } from '../../pipeline/backfill/index.js';
import { stagedCloser } from '../../pipeline/sync/index.js';
import { payelancerStaged } from './payelancer-staged.js';

/** The ad network's close and replay on the pipeline's staged shape, loaded when a command first calls them (payelancer-kind-parts.ts). */
export const payelancerCloser = stagedCloser(payelancerStaged);
export const payelancerReplayer = stagedReplayer(payelancerStaged);
