// The queue's connection string and what its errors may show of it.

/**
 * The URL with `synchronous_commit=off` added to the server options its sessions start with (node-postgres reads
 * `options` from the URL). Example: postgres://u@h/ledger → postgres://u@h/ledger?options=-c+synchronous_commit%3Doff.
 */
export function withoutWaitingCommits(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  const given = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${given === null ? '' : `${given} `}-c synchronous_commit=off`);
  return parsed.toString();
}

/** The error's message with the URL and its password cut out, should the driver have echoed them. */
export function messageOf(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const password = URL.canParse(url) ? decodeURIComponent(new URL(url).password) : '';
  const withoutUrl = message.split(url).join('[ledger URL]');
  return password === '' ? withoutUrl : withoutUrl.split(password).join('[redacted]');
}
