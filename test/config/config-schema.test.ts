import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';

test('the generic export keeps ISO dates: another format is refused, naming the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-config-'));
  try {
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      'ledger: ./l.sqlite\ntimezone: UTC\ncurrency: USD\nsources: []\nexport:\n  dateFormat:\n    generic: DD/MM/YYYY\n',
    );
    expect(() => loadConfig({ kinds: configKinds(), env: {}, cwd: dir })).toThrowError(
      /export\.dateFormat\.generic.*always writes YYYY-MM-DD/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("witness.urlTimeoutMs bounds one call to the URL witness (absent: left to the product's 3 s); 0 is refused, naming the key", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-config-'));
  const load = (witness: string) => {
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      'ledger: ./l.sqlite\ntimezone: UTC\ncurrency: USD\nsources: []\nwitness:\n  url: ${WITNESS_URL}\n' + witness,
    );
    return loadConfig({ kinds: configKinds(), env: { WITNESS_URL: 'https://witness.example/books' }, cwd: dir })
      .witness;
  };
  try {
    expect(load('  urlTimeoutMs: 1500\n').urlTimeoutMs).toBe(1500);
    expect(load('').urlTimeoutMs).toBeUndefined();
    expect(() => load('  urlTimeoutMs: 0\n')).toThrowError(/witness\.urlTimeoutMs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a command that only reads the books takes a bad cron, one that schedules refuses it: in either order, in one process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-config-'));
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    'ledger: ./l.sqlite\ntimezone: UTC\ncurrency: USD\nsources: []\nschedule:\n  cron: "61 2 * * *"\n',
  );
  const load = (onlyReads: boolean) => () =>
    loadConfig({ kinds: configKinds(), env: {}, cwd: dir, need: { onlyReads } });
  try {
    for (let round = 0; round < 2; round += 1) {
      expect(load(true)).not.toThrow();
      expect(load(false)).toThrowError(/schedule\.cron/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
