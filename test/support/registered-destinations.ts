import { listed } from '../../src/log/index.js';
import { destinationKinds } from '../../src/pipeline/kinds/index.js';

/**
 * The destinations as help and refusals list them, read from the registry as the CLI reads it, so a kind added
 * (built in, or a plug-in registered in this process) changes no test: `post takes ${registered.posts} …`.
 */
export const registeredDestinations = {
  /** `xero or quickbooks`: what post, doctor --to, reconcile --with and connect take. */
  get posts(): string {
    return listed(destinationKinds.withApi().map((kind) => kind.name));
  },
  /** `generic, xero, quickbooks, hledger or beancount`: export --format's choices. */
  get formats(): string {
    return listed(destinationKinds.exportFormats().map((format) => format.name));
  },
  /** `generic|xero|quickbooks|hledger|beancount`: export's usage line. */
  get formatChoices(): string {
    return destinationKinds
      .exportFormats()
      .map((format) => format.name)
      .join('|');
  },
  /** `Xero or QuickBooks Online`: the services help's summaries name. */
  get services(): string {
    return listed(destinationKinds.withApi().map((kind) => kind.api.service));
  },
};
