import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFingerprint } from '../../src/config/config-fingerprint.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('fingerprint-');
let folder: string;

/** A configuration folder with these files written in it; returns the configuration file's path. */
function configuration(files: Record<string, string>): string {
  folder = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return join(folder, 'ledgerline.yaml');
}

describe('the fingerprint a queued job carries of its configuration', () => {
  it('changes when a row of the sources file the configuration names changes, so a worker reads it again', () => {
    const file = configuration({
      'ledgerline.yaml': 'ledger: ledger.sqlite\nsources:\n  file: sources.csv\n',
      'sources.csv': 'id,kind,url,secret\npanel-01,panel,http://127.0.0.1:9001/api/v2,PANEL_01_KEY\n',
    });
    const before = configFingerprint(file);
    writeFileSync(
      join(folder, 'sources.csv'),
      'id,kind,url,secret\npanel-01,panel,http://127.0.0.1:9002/api/v2,PANEL_01_KEY\n',
    );
    expect(configFingerprint(file)).not.toBe(before);
  });

  it('follows the configuration to the sources file it names once edited, the names read again from its new bytes', () => {
    const row = (port: number) => `id,kind,url,secret\npanel-01,panel,http://127.0.0.1:${port}/api/v2,PANEL_01_KEY\n`;
    const file = configuration({
      'ledgerline.yaml': 'ledger: ledger.sqlite\nsources:\n  file: a.csv\n',
      'a.csv': row(9001),
      'b.csv': row(9001),
    });
    configFingerprint(file);
    writeFileSync(file, 'ledger: ledger.sqlite\nsources:\n  file: b.csv\n');
    const named = configFingerprint(file);
    writeFileSync(join(folder, 'b.csv'), row(9002));
    expect(configFingerprint(file)).not.toBe(named);
  });

  it('is the hash of the file alone for a configuration that names no sources file, as before sources files', () => {
    const text = 'ledger: ledger.sqlite\nsources:\n  - id: panel-01\n    kind: panel\n';
    const file = configuration({ 'ledgerline.yaml': text });
    expect(configFingerprint(file)).toBe(createHash('sha256').update(text).digest('hex').slice(0, 12));
  });

  it('still gives a fingerprint when the sources file is missing or the YAML does not parse (the load says why)', () => {
    const file = configuration({ 'ledgerline.yaml': 'sources: [ { file: gone.csv } ]\n' });
    expect(configFingerprint(file)).toMatch(/^[0-9a-f]{12}$/);
    writeFileSync(file, 'sources: [ unclosed\n');
    expect(configFingerprint(file)).toMatch(/^[0-9a-f]{12}$/);
  });
});
