// The queue's connection string.

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
