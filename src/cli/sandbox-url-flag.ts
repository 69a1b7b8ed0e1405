import { SANDBOX_ORIGIN } from '../config/index.js';
import { UsageError } from '../errors.js';
import { flag } from './flags.js';
import { printable } from '../log/index.js';
import { mendedLine, type TypedCommandLine } from './flag-choice.js';

/** A panel currency other than the organisation's that `sandbox --region … --supplier-currency` and init rehearse. */
export const SANDBOX_SUPPLIER_CURRENCIES = ['USD'] as const;

/** `sandbox --supplier-currency USD`: the SMM panel charges in USD though the organisation keeps another currency. */
export const supplierCurrencyFlag = () =>
  flag.choice(
    SANDBOX_SUPPLIER_CURRENCIES,
    'USD',
    "with --region: the panel charges in USD though the organisation keeps another currency (a UK team's USD " +
      'panel); then init --sandbox-url … --region REGION --supplier-currency USD writes destinations.rates',
  );

/** `sandbox --supplier-currency` plays a region's organisation with a panel in another currency: refused without --region. */
export function refuseSupplierCurrencyAlone(flags: {
  'supplier-currency'?: string | undefined;
  region?: string | undefined;
}) {
  if (flags['supplier-currency'] !== undefined && flags.region === undefined)
    throw new UsageError(
      '--supplier-currency goes with --region: the organisation of the region keeps its own currency',
    );
}

/**
 * The sandbox's origin as the configuration needs it (scheme, host, port), or undefined to refuse `typed`. A URL
 * without a scheme (`127.0.0.1:19101`) is refused with the command that was likely meant rather than completed:
 * the written file would then hold a URL nobody typed, and `localhost:19101` even parses as a URL of scheme "localhost:".
 */
export function sandboxOrigin(typed: string): string | undefined {
  const url = webUrl(typed);
  return url !== undefined && url.hostname !== '' && url.pathname === '/' && url.search === '' && url.hash === ''
    ? url.origin
    : undefined;
}

export function sandboxUrlRefusal(name: string, given: string | undefined, typedLine: TypedCommandLine): string {
  const typed = given ?? '';
  const meant = typed.includes('://') ? webUrl(typed)?.origin : `http://${typed.replace(/\/+$/, '')}`;
  return (
    `${name} takes an http:// or https:// origin such as ${SANDBOX_ORIGIN}, not ` +
    `"${printable(typed)}"${meant === undefined ? '' : `; did you mean "${mendedLine(typedLine, name, typed, meant)}"?`} ` +
    `Nothing was written`
  );
}

/** `typed` as an http:// or https:// URL, or undefined. */
function webUrl(typed: string): URL | undefined {
  try {
    const url = new URL(typed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
