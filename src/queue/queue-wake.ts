import type PgBoss from 'pg-boss';

/**
 * pg-boss 10 has no wake-up across processes: an idle worker finds a new job at its next poll (up to 0.5 s later), a
 * waiting enqueuer learns a job finished at its next look. Here PostgreSQL's LISTEN/NOTIFY tells them at once: an
 * enqueuer announces the jobs it queued, a worker the job it completed, on one channel per kind and event. A notice
 * only wakes a poll early; a lost one (a dropped connection) costs the poll interval, never a job.
 */
type WakeEvent = 'queued' | 'done';

/** A connection of node-postgres's pool, as pg-boss 10's Db keeps it (`pool`, not in pg-boss's types). */
interface ListeningClient {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (notice: { channel: string; payload?: string | undefined }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  release(destroy?: boolean): void;
}
interface PooledDb {
  pool?: { connect(): Promise<ListeningClient> } | undefined;
}

/** The channel a kind's event is announced on: `ledgerline_queue_close_queued`, `ledgerline_queue_close_done`. */
export function wakeChannel(kind: string, event: WakeEvent): string {
  return `ledgerline_queue_${kind}_${event}`;
}

/** Tells the listeners of `channel` (delivered when this statement commits); `payload`, a job's id, at most. */
export async function announce(boss: PgBoss, channel: string, payload = ''): Promise<void> {
  await boss.getDb().executeSql('SELECT pg_notify($1, $2)', [channel, payload]);
}

/** One connection of the queue's pool kept listening; each channel's handlers are called with the notice's payload. */
export class QueueWake {
  private readonly handlers = new Map<string, ((payload: string) => void)[]>();
  private client: Promise<ListeningClient | undefined> | undefined;
  /** The sleeps `noticed` may cut short, by channel. */
  private readonly waiters = new Map<string, Set<(payload: string) => void>>();

  constructor(
    private readonly boss: PgBoss,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Calls `handler` on each notice of `channel` from now on; when LISTEN cannot start, never (told; the polls go on). */
  async on(channel: string, handler: (payload: string) => void): Promise<void> {
    const known = this.handlers.get(channel);
    this.handlers.set(channel, [...(known ?? []), handler]);
    const client = await (this.client ??= this.connect());
    if (known !== undefined || client === undefined) return;
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Resolves at the first notice on `channel` whose payload `wanted` accepts, or when `stop` aborts: what cuts a
   * poll's sleep short (pollUntil's `wake`).
   */
  async noticed(channel: string, wanted: (payload: string) => boolean, stop: AbortSignal): Promise<void> {
    let waiters = this.waiters.get(channel);
    if (waiters === undefined) {
      const all = (waiters = new Set<(payload: string) => void>());
      this.waiters.set(channel, all);
      await this.on(channel, (payload) => all.forEach((waiter) => waiter(payload)));
    }
    const own = waiters;
    await new Promise<void>((resolve) => {
      const waiter = (payload: string) => wanted(payload) && done();
      const done = () => {
        own.delete(waiter);
        resolve();
      };
      if (stop.aborted) return done();
      own.add(waiter);
      stop.addEventListener('abort', done, { once: true });
    });
  }

  /** Stops listening and gives the connection up (closed, not pooled: it still holds its LISTENs). */
  async close(): Promise<void> {
    const client = await this.client;
    this.client = undefined;
    client?.release(true);
  }

  private async connect(): Promise<ListeningClient | undefined> {
    const pool = (this.boss.getDb() as PooledDb).pool;
    if (pool === undefined) return undefined;
    try {
      const client = await pool.connect();
      client.on('notification', (notice) => {
        for (const handler of this.handlers.get(notice.channel) ?? []) handler(notice.payload ?? '');
      });
      client.on('error', (error) => this.onError(error));
      return client;
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }
}
