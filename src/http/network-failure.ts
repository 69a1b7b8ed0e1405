/**
 * What a failed exchange tells us about whether the request reached the server.
 * Refused or unresolvable connections never carried the request, so even a write can be
 * sent again; a reset, a timeout waiting for the answer or a garbled answer may come after
 * the server acted on it.
 */
export interface NetworkFailure {
  /** The error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT …) or the error's name. */
  code: string;
  /** False only when the request certainly never left us. */
  mayHaveReachedServer: boolean;
  description: string;
}

const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed before the answer',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for the answer',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the answer',
  HPE_INVALID_CONSTANT: 'answer was not valid HTTP',
};

/** Reads the code off an error thrown by undici or node:net (possibly wrapped in `cause`). */
export function describeNetworkFailure(error: unknown): NetworkFailure {
  const code = errorCode(error) ?? errorCode((error as { cause?: unknown } | undefined)?.cause) ?? errorName(error);
  return {
    code,
    mayHaveReachedServer: !NEVER_SENT_CODES.has(code),
    description: DESCRIPTIONS[code] ?? (code.startsWith('HPE_') ? 'answer was not valid HTTP' : 'network failure'),
  };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
