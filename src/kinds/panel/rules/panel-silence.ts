import type { SourceSilence } from '../../../rules/index.js';

/**
 * New data from a panel: an order booked or changed (an entry dated the close's day) or a balance that moved.
 * Example: closes of 03-04 and 03-05 both at a balance of 100.59 and no entry on 03-05 → 03-05 brought nothing.
 */
export const panelSilence: SourceSilence = {
  noun: 'Panel',
  nothingNew: 'no new orders or balance moves',
  check: "check the panel's account (is it still funded and in use?) and its API key",
  broughtNewData: (close, previous) =>
    close.entries > 0 || previous === undefined || close.valueMicros !== previous.valueMicros,
};
