import type pg from 'pg';

/** Per connection, the statement last sent on it, settled (rejections are its caller's, not the next one's). */
const lastStatement = new WeakMap<pg.ClientBase, Promise<unknown>>();

/**
 * A statement sent on `client` once the one before it there has finished. A use case may start a unit's reads
 * together (`Promise.all` of four transit reads); on one connection pg only queued them, and warns that it will
 * stop (pg 9 removes the queue: "Calling client.query() when the client is already executing a query").
 */
export function inTurn<T>(client: pg.ClientBase, statement: () => Promise<T>): Promise<T> {
  const mine = (lastStatement.get(client) ?? Promise.resolve()).then(statement);
  lastStatement.set(
    client,
    mine.catch(() => undefined),
  );
  return mine;
}
