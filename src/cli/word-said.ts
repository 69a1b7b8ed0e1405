/** What `reconcile ack|unack` prints of the word it recorded, or of the same word said already. */
export function wordSaid(
  verb: 'ack' | 'unack',
  done: { itemId: string; saidAlready: { by: string; at: string } | null },
  note: string | null,
): string {
  return done.saidAlready === null
    ? `${verb === 'ack' ? 'acknowledged' : 'open again'}: ${done.itemId}${note ? ` (${note})` : ''}\n`
    : `${done.itemId} was acknowledged already, by ${done.saidAlready.by} at ` +
        `${done.saidAlready.at}${note ? ` (${note})` : ''}; nothing more was recorded\n`;
}
