import type { Config } from '../../config/index.js';
import { openTokenStore, readConnection } from '../../destinations/index.js';
import { destinationKinds } from '../kinds/index.js';

export type ConnectionNeedingAction = ReturnType<typeof readConnection> & { destination: string };
type StoredTokensByDestination = ReturnType<ReturnType<typeof openTokenStore>['readAll']>;

/**
 * Each configured destination whose connection needs a person (not connected, expired), with the one next step,
 * from tokens already read: what `status` lists and the console's bar shows, in the words `doctor` and `post` use.
 * Example: Xero configured and no tokens stored → [{ destination: 'xero', state: 'not-connected',
 * problem: 'no Xero organisation is connected', nextStep: 'run `ledgerline connect xero`' }].
 */
export function connectionsNeedingAction(
  config: Config,
  stored: StoredTokensByDestination,
  now: Date,
): ConnectionNeedingAction[] {
  return destinationKinds.withApi().flatMap(({ name, api }) => {
    const setup = api.connectionSetup(config);
    const reading =
      setup === undefined
        ? undefined
        : readConnection(setup, Object.hasOwn(stored, name) ? stored[name] : undefined, now);
    return reading === undefined || reading.state === 'connected' ? [] : [{ destination: name, ...reading }];
  });
}

/** The console's lines, read from the token store at each page: "xero: no Xero organisation is connected; run `ledgerline connect xero`". */
export function connectionAdvice(config: Config, now: Date): string[] {
  let stored: StoredTokensByDestination;
  try {
    stored = openTokenStore(config.tokenStore).readAll();
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  return connectionsNeedingAction(config, stored, now).map(
    (connection) => `${connection.destination}: ${connection.problem}; ${connection.nextStep}`,
  );
}
