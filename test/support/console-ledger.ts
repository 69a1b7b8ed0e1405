import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { credit, debit } from '../../src/rules/index.js';
import { withOpenBooks } from './books.js';
import { withLedgerTables } from './ledger-tables.js';
import { runLedgerline } from './cli.js';
import { serveInProcess, type ServingConsole } from './serve-in-process.js';

/** The console's access token in these tests (serve wants 24 characters or more). */
export const TOKEN = 'console-token-0123456789abcdef';

/**
 * A ledger the console has something to show: `init`, three nights of panel charges (2026-03-01…03), a
 * refund of 0.40 on 03-03 (so the expense account is debited and credited: gross and net differ), and
 * two open panel top-ups to acknowledge (f1 on 03-02, 50.00; f2 on 03-03, 1.00) and a computed refund, for the
 * record (i3 on 03-02, 0.40); the panel's latest close is of 03-02, its balance as booked (-2.70).
 */
export async function seededConsoleLedger(dir: string): Promise<void> {
  await runLedgerline(['init'], { cwd: dir });
  const location = join(dir, 'data', 'ledger.sqlite');
  const now = new Date('2026-03-03T02:30:00Z');
  await withOpenBooks(location, async ({ ledger }) => {
    for (const [date, micros] of [
      ['2026-03-01', 900_000n],
      ['2026-03-02', 1_800_000n],
      ['2026-03-03', 2_000n],
    ] as const) {
      const lines = [debit('smm_services_expense', 'USD', micros), credit('panel_prepaid', 'USD', micros)];
      await ledger.appendEntry(
        {
          id: `je:smm-panel:${date}`,
          date,
          sourceId: 'smm-panel',
          description: 'SMM panel order charges',
          eventIds: [],
          lines,
        },
        { now },
      );
    }
    const refund = [debit('panel_prepaid', 'USD', 400_000n), credit('smm_services_expense', 'USD', 400_000n)];
    await ledger.appendEntry(
      {
        id: 'je:smm-panel:2026-03-03:refund',
        date: '2026-03-03',
        sourceId: 'smm-panel',
        description: 'SMM panel refund',
        eventIds: [],
        lines: refund,
      },
      { now },
    );
  });
  await withLedgerTables(location, async ({ db, run }) => {
    for (const [id, kind, date, micros] of [
      ['f1', 'balance_rise', '2026-03-02', 50_000_000n],
      ['f2', 'balance_rise', '2026-03-03', 1_000_000n],
      ['i3', 'computed_refund', '2026-03-02', 400_000n],
    ] as const) {
      await run(
        db.insertInto('discrepancies').values({
          id,
          kind,
          source_id: 'smm-panel',
          date,
          amount_micros: micros,
          currency: 'USD',
          ref: 'balance',
          message: 'top-up',
          created_at: now.toISOString(),
          resolved_at: null,
        }),
      );
    }
    await run(
      db.insertInto('source_closes').values({
        source_id: 'smm-panel',
        date: '2026-03-02',
        metric: 'balance',
        value_micros: -2_700_000n,
        currency: 'USD',
        raw_observation_id: null,
        taken_at: now.toISOString(),
      }),
    );
  });
}

export interface ConsoleAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to the console with the Host header given (fetch may not set it): what a browser elsewhere sends. */
export function askConsole(
  url: string,
  options: { host: string; cookie?: string; method?: string; origin?: string; body?: string },
): Promise<ConsoleAnswer> {
  const headers: Record<string, string> = { host: options.host };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.origin !== undefined) headers.origin = options.origin;
  if (options.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: options.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** The seeded ledger of this file, `prepare`d further, and `serve --port 0` over it on 127.0.0.1: built once per file. */
export function useServedConsole(
  prefix: string,
  prepare: (dir: string) => Promise<void> = async () => undefined,
): { readonly dir: string; readonly host: string } {
  const world = { dir: '', host: '', serve: undefined as ServingConsole | undefined };
  beforeAll(async () => {
    world.dir = mkdtempSync(join(tmpdir(), prefix));
    await seededConsoleLedger(world.dir);
    await prepare(world.dir);
    world.serve = await serveInProcess(['--port', '0'], { cwd: world.dir });
    world.host = `127.0.0.1:${world.serve.port}`;
  });
  afterAll(async () => {
    await world.serve?.stop();
    rmSync(world.dir, { recursive: true, force: true });
  });
  return world;
}
