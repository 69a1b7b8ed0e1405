import type { z } from 'zod';
import type { SourceKind } from '../../pipeline/kinds/source-kind.js';
import { conversionWebhookFormat } from './conversion-webhook.js';
import {
  PAYELANCER_KIND,
  asPayelancerSource,
  payelancerPayoutMethodProblems,
  payelancerSourceEntry,
  resolvePayelancerSource,
} from './payelancer-config.js';
import { payelancerProbe } from './payelancer-probe.js';
import { payelancerLazyCloser, payelancerLazyReplayer } from './payelancer-kind-parts.js';
import { payelancerFindings, payelancerVocabulary } from './payelancer-vocabulary.js';
import { payelancerSilence } from './rules/payelancer-silence.js';
import { PAYELANCER_RECEIVABLE_ACCOUNT } from './rules/payelancer-accounts.js';

/** The ad network: a lifetime counter of a publisher's earnings (paid out once 50.00 is owed) or an advertiser's spend. */
export const payelancerSourceKind: SourceKind = {
  ...payelancerLazyCloser,
  ...payelancerLazyReplayer,
  ...payelancerProbe,
  kind: PAYELANCER_KIND,
  entrySchema: payelancerSourceEntry,
  vocabulary: payelancerVocabulary,
  findings: payelancerFindings,
  // The loader hands resolve only what entrySchema validated, which is the schema's output.
  resolve: (entry, placement) => resolvePayelancerSource(entry as z.output<typeof payelancerSourceEntry>, placement),
  crossCheck: payelancerPayoutMethodProblems,
  capabilities: { webhookFormat: conversionWebhookFormat, silence: payelancerSilence },
  reportFacts: (source) => ({
    payoutMinimumMicros: asPayelancerSource(source).payouts.minimumMicros,
    balanceAccount: PAYELANCER_RECEIVABLE_ACCOUNT,
  }),
};
