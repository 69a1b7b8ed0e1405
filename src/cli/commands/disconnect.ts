import { z } from 'zod';
import { loadConsent, openTokenStore } from '../../destinations/index.js';
import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { consentConfig, consentHttp } from '../../app/destination-consent.js';
import { destinationWord } from '../consent-cli.js';
import { apiDestinationChoices } from '../../app/destination-choices.js';
import { withFlags } from '../flags.js';

export const disconnectCommand: Command = withFlags({
  // Read when help is shown: a destination kind registered by a plug-in is listed too.
  get usage() {
    return `ledgerline disconnect ${apiDestinationChoices()}`;
  },
  get arguments() {
    return apiDestinationChoices();
  },
  flags: z.object({}),
  examples: [
    "ledgerline disconnect xero         # removes the organisation's connection, revokes the tokens, empties the store entry",
  ],
  async run(context) {
    const kind = destinationWord('disconnect', context.positionals);
    const { config, vendor } = await consentConfig(context, kind);
    const { disconnectDestination } = await loadConsent();
    const outcome = await disconnectDestination({
      vendor,
      store: openTokenStore(config.tokenStore),
      http: consentHttp(context, vendor.service),
      now: () => context.now().getTime(),
      onSecrets: context.addSecrets,
    });
    const organisation = outcome.organisation === undefined ? '' : ` from ${outcome.organisation}`;
    const line =
      !outcome.revoked && outcome.organisation === undefined
        ? `nothing to disconnect: ${config.tokenStore} holds no ${vendor.service} tokens`
        : `disconnected ${vendor.service}${organisation}: ` +
          `${outcome.revoked ? 'the tokens were revoked at the vendor' : 'there was no refresh token to revoke'} ` +
          `and the store entry is gone`;
    const pasted =
      vendor.configRefreshToken === undefined
        ? ''
        : `; remove destinations.${kind.name}.refreshToken from ${config.file} too`;
    context.stdout.write(context.redact(`${line}${pasted}\n`));
    return EXIT.ok;
  },
});
