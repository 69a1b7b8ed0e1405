import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setAsideEarlierWitness } from '../../../src/pipeline/witness/index.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-fresh-witness-');
const NOW = new Date('2026-11-28T00:20:00.000Z');
const HEAD = JSON.stringify({
  kind: 'head',
  at: '2026-03-12T02:00:00.000Z',
  date: '2026-03-12',
  command: 'sync',
  position: 81,
  entryId: 'je:smm-panel:2026-03-12',
  hash: 'a'.repeat(64),
});

/** The default witness of a ledger in `dir` (not named by the configuration), holding `text`. */
function defaultWitness(dir: string, text: string | undefined, more: { configured?: boolean; url?: string } = {}) {
  const file = join(dir, 'ledger-3f9c0a1b2c3d4e5f.jsonl');
  if (text !== undefined) writeFileSync(file, text);
  return {
    file,
    configured: more.configured ?? false,
    configFile: join(dir, 'ledgerline.yaml'),
    ledgerFolder: join(dir, 'data'),
    ...(more.url === undefined ? {} : { url: more.url }),
  };
}

describe("new books at a deleted ledger's path: the earlier default witness set aside", () => {
  it('moves a witness holding heads beside itself, whole, named for the time', () => {
    const dir = tempDir();
    const place = defaultWitness(dir, `${HEAD}\n`);
    const aside = setAsideEarlierWitness(place, NOW);
    expect(aside).toBe(`${place.file}.set-aside-2026-11-28T00-20-00-000Z`);
    expect(existsSync(place.file)).toBe(false);
    expect(readFileSync(aside ?? '', 'utf8')).toBe(`${HEAD}\n`);
  });

  it('leaves alone a witness the configuration names, one with a URL witness, and one missing or empty', () => {
    const dir = tempDir();
    expect(setAsideEarlierWitness(defaultWitness(dir, `${HEAD}\n`, { configured: true }), NOW)).toBeUndefined();
    expect(
      setAsideEarlierWitness(defaultWitness(dir, `${HEAD}\n`, { url: 'http://127.0.0.1:8787/witness/books' }), NOW),
    ).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['ledger-3f9c0a1b2c3d4e5f.jsonl']);
    expect(setAsideEarlierWitness(defaultWitness(tempDir(), undefined), NOW)).toBeUndefined();
    expect(setAsideEarlierWitness(defaultWitness(tempDir(), ''), NOW)).toBeUndefined();
  });

  it('never moves it over an earlier set-aside witness: refused, both kept', () => {
    const dir = tempDir();
    const place = defaultWitness(dir, `${HEAD}\n`);
    writeFileSync(`${place.file}.set-aside-2026-11-28T00-20-00-000Z`, 'earlier\n');
    expect(() => setAsideEarlierWitness(place, NOW)).toThrow(/set-aside-2026-11-28T00-20-00-000Z already exists/);
    expect(readFileSync(place.file, 'utf8')).toBe(`${HEAD}\n`);
  });
});
