import { apiDestinationNames } from '../app/destination-choices.js';
import { listed } from '../log/index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';

/** `xero|quickbooks`, for a usage line; read when help is shown, so a plug-in's kind is listed too. */
export function apiDestinationChoices(separator = '|'): string {
  return apiDestinationNames().join(separator);
}

/** The services post delivers to, for help's summaries: "Xero or QuickBooks Online", with a plug-in's too. */
export function apiDestinationServices(): string {
  return listed(destinationKinds.withApi().map((kind) => kind.api.service));
}
