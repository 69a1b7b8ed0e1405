import type { SourceProbe } from '../../pipeline/operations/index.js';
import { PAYELANCER_KIND, asPayelancerSource } from './payelancer-config.js';

/** The ad network's stats, which also say which role the key has. */
export const payelancerProbe: SourceProbe = {
  kind: PAYELANCER_KIND,
  probeSubject: 'stats',
  addressField: 'baseUrl',
  async probe(source, { http, clock }) {
    const adNetwork = asPayelancerSource(source);
    // Its client (and the HTTP stack under it) loads when doctor or `sources test` first calls it.
    const { createPayelancerClient } = await import('./payelancer-client.js');
    const stats = await createPayelancerClient({
      sourceId: adNetwork.id,
      baseUrl: adNetwork.baseUrl,
      apiKey: adNetwork.apiKey,
      http,
      clock,
    }).stats();
    return `the ad network answered (${stats.role} key)`;
  },
};
