import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carryBesideLedger, type BesideLedger } from '../../../src/pipeline/operations/index.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-carry-');

/** A SQLite ledger's folder (data/) beside its configuration, as `init` writes them, and where each file goes on PostgreSQL. */
function folders(): { data: string; config: string; items: BesideLedger[] } {
  const config = tempDir();
  const data = join(config, 'data');
  mkdirSync(data);
  return {
    data,
    config,
    items: [
      {
        what: 'the token store',
        from: join(data, '.ledgerline-tokens.json'),
        to: join(config, '.ledgerline-tokens.json'),
        kind: 'token-store',
      },
      {
        what: "the panel proxy's spool of smm-panel",
        from: join(data, 'smm-panel.proxy-spool.jsonl'),
        to: join(config, 'smm-panel.proxy-spool.jsonl'),
        kind: 'spool',
      },
      {
        what: 'the close certificates',
        from: join(data, 'certificates'),
        to: join(config, 'certificates'),
        kind: 'folder',
      },
    ],
  };
}

const RECORD = (id: string) => `\n{"record":"add_requested","id":"${id}"}\n`;

describe('what migrate --to carries from beside the ledger file', () => {
  it('passes over what is not there: nothing said', () => {
    const { items, config } = folders();
    expect(carryBesideLedger(items, join(config, 'ledgerline.yaml'))).toEqual([]);
  });

  it('moves each to beside the configuration, the token store kept private, and says so', () => {
    const { data, config, items } = folders();
    writeFileSync(join(data, '.ledgerline-tokens.json'), '{}', { mode: 0o600 });
    writeFileSync(join(data, 'smm-panel.proxy-spool.jsonl'), RECORD('r1') + RECORD('r2'));
    mkdirSync(join(data, 'certificates'));
    writeFileSync(join(data, 'certificates', '2026-03.json'), '{"period":"2026-03"}');
    const carried = carryBesideLedger(items, join(config, 'ledgerline.yaml'));
    expect(carried.map((item) => [item.what, item.moved])).toEqual([
      ['the token store', true],
      ["the panel proxy's spool of smm-panel", true],
      ['the close certificates', true],
    ]);
    expect(carried[1]!.said).toBe(
      `moved the panel proxy's spool of smm-panel ${join(data, 'smm-panel.proxy-spool.jsonl')} to ${join(config, 'smm-panel.proxy-spool.jsonl')}, ` +
        'where the sync reads it with a PostgreSQL ledger: its 2 record(s) are imported by the next sync of the PostgreSQL ledger',
    );
    expect(statSync(join(config, '.ledgerline-tokens.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(config, 'certificates', '2026-03.json'), 'utf8')).toBe('{"period":"2026-03"}');
    expect([
      existsSync(join(data, '.ledgerline-tokens.json')),
      existsSync(join(data, 'smm-panel.proxy-spool.jsonl')),
      existsSync(join(data, 'certificates')),
    ]).toEqual([false, false, false]);
  });

  it('never overwrites: a token store already there stays, a spool already there is added to, a certificate with other bytes stays and is named', () => {
    const { data, config, items } = folders();
    writeFileSync(join(data, '.ledgerline-tokens.json'), '{"from":"sqlite"}');
    writeFileSync(join(config, '.ledgerline-tokens.json'), '{"already":"there"}');
    writeFileSync(join(data, 'smm-panel.proxy-spool.jsonl'), RECORD('r2'));
    writeFileSync(join(config, 'smm-panel.proxy-spool.jsonl'), RECORD('r1'));
    mkdirSync(join(data, 'certificates'));
    mkdirSync(join(config, 'certificates'));
    for (const [month, here, there] of [
      ['2026-01', 'same', 'same'],
      ['2026-02', 'ours', 'theirs'],
      ['2026-03', 'new', undefined],
    ] as const) {
      writeFileSync(join(data, 'certificates', `${month}.json`), here);
      if (there !== undefined) writeFileSync(join(config, 'certificates', `${month}.json`), there);
    }
    const [tokens, spool, certificates] = carryBesideLedger(items, join(config, 'ledgerline.yaml'));
    expect([
      tokens!.moved,
      readFileSync(join(config, '.ledgerline-tokens.json'), 'utf8'),
      existsSync(join(data, '.ledgerline-tokens.json')),
    ]).toEqual([false, '{"already":"there"}', true]);
    expect(tokens!.said).toContain(
      `set "tokenStore: ${join(data, '.ledgerline-tokens.json')}" in ${join(config, 'ledgerline.yaml')}`,
    );
    expect(spool!.said).toMatch(/^added the panel proxy's spool of smm-panel .* to the spool already at /);
    expect(readFileSync(join(config, 'smm-panel.proxy-spool.jsonl'), 'utf8')).toBe(RECORD('r1') + RECORD('r2'));
    expect(certificates!.moved).toBe(false);
    expect(certificates!.said).toBe(
      `moved 2 of the close certificates in ${join(data, 'certificates')} to ${join(config, 'certificates')}; 2026-02.json stayed in ${join(data, 'certificates')}, ` +
        `since ${join(config, 'certificates')} holds other bytes under the same name: keep in ${join(config, 'certificates')} the one whose SHA-256 the console's periods page shows for its month`,
    );
    expect(readFileSync(join(config, 'certificates', '2026-02.json'), 'utf8')).toBe('theirs');
    expect(readFileSync(join(config, 'certificates', '2026-03.json'), 'utf8')).toBe('new');
  });
});
