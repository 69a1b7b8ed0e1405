import type { z } from 'zod';
import { stagedReplayer } from '../../pipeline/backfill/index.js';
import type { SourceKind } from '../../pipeline/kinds/index.js';
import { stagedCloser } from '../../pipeline/sync/index.js';
import { conversionWebhookFormat } from './conversion-webhook.js';
import {
  PAYELANCER_KIND,
  asPayelancerSource,
  payelancerPayoutMethodProblems,
  payelancerSourceEntry,
  resolvePayelancerSource,
} from './payelancer-config.js';
import { payelancerProbe } from './payelancer-probe.js';
import { payelancerStaged } from './payelancer-staged.js';
import { payelancerVocabulary } from './payelancer-vocabulary.js';

/** The ad network: a lifetime counter of a publisher's earnings (paid out once 50.00 is owed) or an advertiser's spend. */
export const payelancerSourceKind: SourceKind = {
  ...stagedCloser(payelancerStaged),
  ...stagedReplayer(payelancerStaged),
  ...payelancerProbe,
  kind: PAYELANCER_KIND,
  entrySchema: payelancerSourceEntry,
  vocabulary: payelancerVocabulary,
  // The loader hands resolve only what entrySchema validated, which is the schema's output.
  resolve: (entry, placement) => resolvePayelancerSource(entry as z.output<typeof payelancerSourceEntry>, placement),
  crossCheck: payelancerPayoutMethodProblems,
  webhookFormat: conversionWebhookFormat,
  reportFacts: (source) => ({ payoutMinimumMicros: asPayelancerSource(source).payouts.minimumMicros }),
};
