import { SANDBOX_ORIGIN } from '../config/index.js';
import { printable } from '../log/index.js';
import { mendedLine, type TypedCommandLine } from './flag-choice.js';

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
