import type { z } from 'zod';
import {
  PAYELANCER_KIND,
  asPayelancerSource,
  conversionWebhookFormat,
  payelancerPayoutMethodProblems,
  payelancerSourceEntry,
  resolvePayelancerSource,
} from '../../../sources/index.js';
import { payelancerReplayer } from '../../backfill/index.js';
import { payelancerProbe } from '../../operations/index.js';
import { payelancerCloser } from '../../sync/index.js';
import type { SourceKind } from '../source-kind.js';
import { payelancerVocabulary } from './payelancer-vocabulary.js';

/** The ad network: a lifetime counter of a publisher's earnings (paid out once 50.00 is owed) or an advertiser's spend. */
export const payelancerSourceKind: SourceKind = {
  ...payelancerCloser,
  ...payelancerReplayer,
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
