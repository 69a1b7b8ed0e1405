import { z } from 'zod';
import {
  configFields,
  valueAt,
  type ConfiguredSource,
  type EntryPlacement,
  type EntryProblem,
} from '../../config/index.js';
import { DEFAULT_PAYOUT_MINIMUM_MICROS, DEFAULT_PAYOUT_SCHEDULE, PAYOUT_METHODS } from '../../rules/index.js';

const { sourceId, httpUrl, secret, payoutsSetting, amount, text } = configFields;

/** The word an ad network's entry names under sources: (`kind: payelancer`). */
export const PAYELANCER_KIND = 'payelancer';

/** An ad network's entry under `sources:` as written (`kind: payelancer`). */
export const payelancerSourceEntry = z.strictObject({
  id: sourceId,
  kind: z.literal(PAYELANCER_KIND),
  /** Host root; the client adds /backend/api/v1/*.php. */
  baseUrl: httpUrl,
  apiKey: secret,
  payouts: payoutsSetting.optional(),
  /**
   * An advertiser's prepaid balance (docs/accounting.md, "The advertiser's balance"): `opening` is what it held at the
   * source's first close, booked once with that close; each money-out bank line whose words `topUpWords` recognise
   * (default PAYELANCER) after it is a top-up, booked on its line's day and matched to it by the transit.
   */
  advertiser: z.strictObject({ opening: amount, topUpWords: text.optional() }).optional(),
});

/** What a bank writes on a payout's line: the network pays through PayPal, `PAYPAL TRANSFER PAYELANCER 4421`. */
const PAYELANCER_BANK_WORDS = 'PAYPAL|PAYELANCER';
/** What a bank writes on an advertiser's card top-up: the network's name, `CARD 8345 PAYELANCER ADS` (not PayPal's: its payouts come that way). */
const PAYELANCER_TOPUP_WORDS = 'PAYELANCER';

/**
 * An ad-network entry made ready to use: its payout terms merged field by field, the source's own over the
 * top level's over the defaults (a minimum of 50.00, monthly). The loader has already refused a file where
 * neither names a payout method (`payelancerPayoutMethodProblems`).
 */
export function resolvePayelancerSource(entry: z.output<typeof payelancerSourceEntry>, placement: EntryPlacement) {
  const own = entry.payouts;
  const global = placement.topLevel.payouts;
  const method = own?.method ?? global?.method;
  if (method === undefined)
    throw new Error(`source ${entry.id} reached resolvePayelancerSource without a payout method`);
  const { advertiser, ...rest } = entry;
  return {
    ...rest,
    baseUrl: entry.baseUrl.replace(/\/+$/, ''),
    bankWords: PAYELANCER_BANK_WORDS,
    ...(advertiser === undefined
      ? {}
      : {
          advertiser: {
            openingMicros: advertiser.opening,
            topUpWords: advertiser.topUpWords ?? PAYELANCER_TOPUP_WORDS,
          },
        }),
    payouts: {
      minimumMicros: own?.minimum ?? global?.minimum ?? DEFAULT_PAYOUT_MINIMUM_MICROS,
      method,
      schedule: own?.schedule ?? global?.schedule ?? DEFAULT_PAYOUT_SCHEDULE,
    },
  };
}

export type PayelancerSourceConfig = ReturnType<typeof resolvePayelancerSource>;

/** An ad network is paid by a method its entry or the top level names; neither is a problem the whole file shows. */
export function payelancerPayoutMethodProblems(
  entry: Readonly<Record<string, unknown>>,
  index: number,
  document: unknown,
): EntryProblem[] {
  const method = ['payouts', 'method'];
  if (valueAt(entry, method) !== undefined || valueAt(document, method) !== undefined) return [];
  return [
    {
      path: ['sources', index, 'payouts', 'method'],
      message: `no payout method: set payouts.method (${PAYOUT_METHODS.join(', ')}) on this source or at the top level`,
    },
  ];
}

/** A configured source as an ad network's: the registry hands this kind only the sources that name it, which resolvePayelancerSource made. */
export function asPayelancerSource(source: ConfiguredSource): PayelancerSourceConfig {
  if (source.kind !== PAYELANCER_KIND)
    throw new Error(`source ${source.id} of kind ${source.kind} was handed to the ad network's kind`);
  return source as PayelancerSourceConfig;
}
