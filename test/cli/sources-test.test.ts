import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { closedPortUrl } from '../http/local-server.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from '../scenarios/five-days-across-month-end.js';
import type { SyncedWorld } from '../scenarios/scenario-harness.js';

interface SourceRow {
  source: string;
  kind: string;
  status: string;
  subject: string;
  detail: string;
  fix?: string;
  elapsedMs: number;
}

describe('ledgerline sources test: one read-only call per source, as a table', { timeout: 120_000 }, () => {
  let world: SyncedWorld | undefined;
  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'sources-test', DAYS);
  }, 120_000);
  afterAll(() => world?.close());

  it('asks every configured source of the sandbox once and lists each answer; exit 0', async () => {
    const run = await world!.workspace.run(['sources', 'test', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as SourceRow[];
    expect(rows.map((row) => [row.kind, row.status, row.subject])).toEqual(
      expect.arrayContaining([
        ['panel', 'pass', 'balance'],
        ['payelancer', 'pass', 'stats'],
      ]),
    );
    for (const row of rows) expect(row.elapsedMs).toBeGreaterThanOrEqual(0);
    const table = await world!.workspace.run(['sources', 'test']);
    expect(table.stdout.split('\n')[0]).toMatch(/^source +kind +call +result +time +answer$/);
    expect(table.stdout).toContain(`${rows.length} sources, ${rows.length} answered, 0 failed`);
  });

  it('a source whose URL does not answer is FAILED with its fix, the others still asked; exit 3; an unknown id is named', async () => {
    const configPath = join(world!.workspace.dir, 'ledgerline.yaml');
    const original = readFileSync(configPath, 'utf8');
    const config = parseDocument(original);
    const sources = config.get('sources') as {
      items: { get(key: string): unknown; set(k: string, v: string): void }[];
    };
    const panel = sources.items.find((item) => item.get('kind') === 'panel')!;
    panel.set('url', await closedPortUrl());
    writeFileSync(configPath, config.toString());
    try {
      const run = await world!.workspace.run(['sources', 'test']);
      expect(run.code, run.stderr).toBe(3);
      const failedLine = run.stdout.split('\n').find((line) => line.startsWith(String(panel.get('id'))));
      expect(failedLine).toMatch(/ panel +balance +FAILED /);
      expect(run.stdout).toMatch(/ {2}fix: check this source's url and apiKey in ledgerline\.yaml/);
      expect(run.stdout).toMatch(/\d+ sources, \d+ answered, 1 failed\n$/);
      const unknown = await world!.workspace.run(['sources', 'test', 'no-such-panel']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no source has id "no-such-panel"');
    } finally {
      writeFileSync(configPath, original);
    }
  });
});
