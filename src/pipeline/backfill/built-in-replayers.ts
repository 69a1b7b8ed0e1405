import { PAYELANCER_KIND, asPayelancerSource } from '../../sources/index.js';
import { replayPayelancerCloses } from './replay-payelancer.js';
import { replaceCounterState } from './replayed-states.js';
import type { SourceReplayer } from './source-replayer.js';

/** An ad network's closes re-read: its counter's figure in each stored reply, and the payouts it crossed. */
export const payelancerReplayer: SourceReplayer = {
  kind: PAYELANCER_KIND,
  closesToReplay: (books, source, window) => books.closeCount(source.id, { from: window.from, to: window.to }),
  async replay(run, source, options) {
    const adNetwork = asPayelancerSource(source);
    const replayed = await replayPayelancerCloses(run.books, run.ledger, adNetwork, options);
    const { counter } = replayed;
    return {
      ...replayed,
      orderCorrections: [],
      unreadable: [],
      adoptAsLive: async (tx, now) => {
        if (counter && replayed.rereads.length > 0) await replaceCounterState(tx, adNetwork.id, counter, now);
      },
    };
  },
};
