import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `init` and an accountant abroad: the sandbox's configuration has live `datev` and `fec` sections and their mapping
 * files (illustrative SKR03 and PCG numbers), `init --for csv` the sections commented under what to ask the
 * accountant, which uncommented make both exports work.
 */
const tempDir = useTempDir('ledgerline-init-accountant-');

describe('init writes the DATEV and FEC sections', () => {
  it('--sandbox-url: live sections and both mapping files', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:19102'], { cwd: dir })).code).toBe(0);
    const written = readFileSync(join(dir, 'ledgerline.yaml'), 'utf8');
    expect(written).toMatch(/^ {2}datev:.*\n {4}adviser: 1001 .*\n {4}client: 1 .*\n {4}chart: SKR03 /m);
    expect(written).toMatch(/^ {2}fec:.*\n {4}siren: "123456789" .*\n {4}fiscalYearEnd: "12-31" /m);
    expect(readdirSync(join(dir, 'mappings'))).toEqual(expect.arrayContaining(['datev.yaml', 'fec.yaml']));
    expect(readFileSync(join(dir, 'mappings', 'datev.yaml'), 'utf8')).toMatch(/^ {2}bank: +\{ account: "1200" \}/m);
    expect(readFileSync(join(dir, 'mappings', 'fec.yaml'), 'utf8')).toMatch(/^ {2}bank: +\{ account: "512000"/m);
  });

  it('--for csv: the sections commented, with what to ask; uncommented, both exports run', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--for', 'csv'], { cwd: dir })).code).toBe(0);
    const path = join(dir, 'ledgerline.yaml');
    const written = readFileSync(path, 'utf8');
    expect(written).toContain('#   # export --format datev: ask the tax adviser (Steuerberater)');
    expect(written).toContain(
      "#   # export --format fec: the company's SIREN and fiscal year end; ask the expert-comptable",
    );
    expect(written).not.toMatch(/^ {2}(datev|fec):/m);
    // Commented, the formats are refused naming the section to write.
    const refused = await runLedgerline(['export', '--format', 'fec', '--from', '2026-01-01', '--to', '2026-01-31'], {
      cwd: dir,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('destinations.fec');

    writeFileSync(
      path,
      written
        .replace(/^# destinations:\n/m, 'destinations:\n')
        .replace(/^# {3}# export --format .*\n/gm, '')
        .replace(/^# ( {2}(datev|fec):.*| {4}(adviser|client|chart|fiscalYearStart|siren|fiscalYearEnd):.*)$/gm, '$1'),
    );
    for (const [format, first] of [
      ['datev', '"EXTF";700;21;"Buchungsstapel";13;'],
      ['fec', 'JournalCode\tJournalLib\tEcritureNum'],
    ] as const) {
      const run = await runLedgerline(['export', '--format', format, '--from', '2026-01-01', '--to', '2026-01-31'], {
        cwd: dir,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.startsWith(first)).toBe(true);
    }
  });
});
