import type { SourceSilence } from '../../../rules/index.js';

/**
 * New data from an ad-network account: its lifetime counter (a publisher's earnings, an advertiser's spend) moved.
 * Example: a publisher's counter at 6.02 on 03-02 and on 03-03 → 03-03 brought nothing.
 */
export const payelancerSilence: SourceSilence = {
  noun: 'Ad network account',
  nothingNew: 'no movement in its earnings or spend counter',
  check: "check the account in the ad network's dashboard (campaigns running, account active) and its API key",
  broughtNewData: (close, previous) => previous === undefined || close.valueMicros !== previous.valueMicros,
};
