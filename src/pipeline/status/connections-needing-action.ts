import type { Config } from '../../config/index.js';
import { describeTokenHealth, openTokenStore, readConnection } from '../../destinations/index.js';
import type { DoctorCheck } from '../operations/index.js';
import { destinationKinds } from '../kinds/index.js';
import { messageOf } from '../../errors.js';

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
    return [messageOf(error)];
  }
  return connectionsNeedingAction(config, stored, now).map(
    (connection) => `${connection.destination}: ${connection.problem}; ${connection.nextStep}`,
  );
}

/**
 * Each destination's authorization as the store holds it after the checks
 * above (which refreshed it): the organisation, the last rotation, the expiry,
 * a warning from alerts.tokenExpiryDays before it; failed when nothing is
 * connected, when the refresh token expired, or when the vendor refused it.
 */
export function tokenHealthChecks(
  config: Config,
  destinations: readonly string[],
  lapsed: readonly { destination: string; detail: string; fix: string }[],
  now: Date,
): DoctorCheck[] {
  const store = openTokenStore(config.tokenStore);
  return destinations.flatMap((kind): DoctorCheck[] => {
    const stored = store.read(kind);
    const setup = destinationKinds
      .withApi()
      .find((known) => known.name === kind)
      ?.api.connectionSetup(config);
    const reading = setup === undefined ? undefined : readConnection(setup, stored, now);
    const refused = lapsed.find((failure) => failure.destination === kind);
    const health =
      stored === undefined ? undefined : describeTokenHealth(kind, stored, now, config.alerts.tokenExpiryDays);
    if (reading?.state === 'not-connected')
      return [{ area: 'authorization', status: 'fail', subject: kind, detail: 'not connected', fix: reading.nextStep }];
    if (reading?.state === 'expired' && health !== undefined)
      return [{ area: 'authorization', status: 'fail', subject: kind, detail: health.summary, fix: reading.nextStep }];
    if (refused !== undefined)
      return [{ area: 'authorization', status: 'fail', subject: kind, detail: refused.detail, fix: refused.fix }];
    if (health === undefined) return [];
    const lapsing = health.state === 'expiring';
    return [
      {
        area: 'authorization',
        status: lapsing ? 'warn' : 'pass',
        subject: kind,
        detail: health.summary,
        ...(lapsing
          ? { fix: `run a post (any use renews it) or \`ledgerline connect ${kind}\` before it lapses` }
          : {}),
      },
    ];
  });
}
