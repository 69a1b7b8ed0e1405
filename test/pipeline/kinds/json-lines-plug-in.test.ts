import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../../src/config/index.js';
import { registerDestinationKind } from '../../../src/pipeline/kinds/index.js';
import { entryId, spendEntry } from '../post-fixtures.js';
import { bookEntries, runCli } from '../../cli/post-cli-harness.js';
import { useTempDir } from '../../support/temp-dir.js';
import { registeredDestinations } from '../../support/registered-destinations.js';
import { jsonLinesDestination } from '../../support/plug-ins/json-lines/json-lines-kind.js';

/**
 * Issue 71 item 2: a destination added from docs/adding-a-destination.md is its folder and one registry line.
 * json-lines lives in test/support/plug-ins/json-lines/ (its bundle and the record it writes); the line below is
 * its whole registration, as `registerDestinationKind` is a built-in's one line in pipeline/kinds/destination-kinds.ts.
 */
let unregister: (() => void) | undefined;
beforeAll(() => {
  unregister = registerDestinationKind(jsonLinesDestination);
});
afterAll(() => unregister?.());

const tempDir = useTempDir('ledgerline-json-lines-');
const FOLDER = resolve(import.meta.dirname, '../../support/plug-ins/json-lines');

/** A ledger of two spends in February 2024 (1.01 and 1.02 USD) with the shipped chart, and its configuration. */
async function seededLedger(extraConfig = ''): Promise<{ dir: string; config: string }> {
  const dir = tempDir();
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    ['ledger: ./data/ledger.sqlite', 'timezone: UTC', 'currency: USD', extraConfig, 'mappings: ./mappings/default.yaml']
      .join('\n')
      .concat('\n'),
  );
  mkdirSync(join(dir, 'mappings'));
  writeFileSync(join(dir, 'mappings', 'default.yaml'), readFileSync(join(packageMappingsDir(), 'default.yaml')));
  await bookEntries(dir, [spendEntry(1, '2024-02-03'), spendEntry(2, '2024-02-04')]);
  return { dir, config };
}

/** Written by hand from the two spends: the expense debited and the prepaid credited, amounts as decimal text. */
function expectedLine(index: number, date: string, amount: string): string {
  const lines = [
    { account: 'smm_services_expense', currency: 'USD', amount },
    { account: 'panel_prepaid', currency: 'USD', amount: `-${amount}` },
  ];
  return JSON.stringify({
    id: entryId(index),
    date,
    source: 'smm-panel',
    memo: `SMM panel orders ${date} #${index}`,
    lines,
  });
}

/** Each import of the folder's files that leaves the folder: a package, or a stage's public index in src/. */
function importsLeavingTheFolder(): string[] {
  return readdirSync(FOLDER).flatMap((file) =>
    [...readFileSync(join(FOLDER, file), 'utf8').matchAll(/from '([^']+)'/g)]
      .map((match) => match[1]!)
      .filter((target) => !target.startsWith('./')),
  );
}

describe('a destination kind that is one folder and one registry line (json-lines)', () => {
  it('export --format json-lines writes one line of JSON per journal entry, to stdout and to --out', async () => {
    const { dir, config } = await seededLedger();
    const window = ['--from', '2024-02-01', '--to', '2024-02-29', '--config', config];
    const expected = `${expectedLine(1, '2024-02-03', '1.01')}\n${expectedLine(2, '2024-02-04', '1.02')}\n`;
    const toStdout = await runCli(['export', '--format', 'json-lines', ...window], { cwd: dir });
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout).toBe(expected);

    const toFile = await runCli(['export', '--format', 'json-lines', ...window, '--out', 'books.jsonl'], { cwd: dir });
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toBe(`wrote ${join(dir, 'books.jsonl')}: 2 entries\n`);
    expect(readFileSync(join(dir, 'books.jsonl'), 'utf8')).toBe(expected);
  });

  it('help and a misspelt format offer it, read from the registry', async () => {
    const { dir, config } = await seededLedger();
    const help = await runCli(['export', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(registeredDestinations.formatChoices).toMatch(/\|json-lines$/);
    expect(help.stdout).toContain(`--format ${registeredDestinations.formatChoices} `);
    expect(help.stdout).toContain('json-lines: newline-delimited JSON, one journal entry a line');
    const misspelt = await runCli(['export', '--format', 'json-line', '--config', config], { cwd: dir });
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain(`--format takes ${registeredDestinations.formats}, not "json-line"`);
  });

  it('the configuration takes its section under destinations: and refuses a key it does not know', async () => {
    const taken = await seededLedger('destinations:\n  json-lines:\n    keepEmptyEntries: true');
    const exported = await runCli(['export', '--format', 'json-lines', '--config', taken.config], { cwd: taken.dir });
    expect(exported.code, exported.stderr).toBe(0);
    const stray = await seededLedger('destinations:\n  json-lines:\n    keepEmpty: true');
    const refused = await runCli(['export', '--format', 'json-lines', '--config', stray.config], { cwd: stray.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('destinations.json-lines');
    expect(refused.stderr).toContain('keepEmpty');
  });

  it("its folder reaches src/ only through the stages' public index files", () => {
    expect(importsLeavingTheFolder().sort()).toEqual([
      '../../../../src/destinations/index.js',
      '../../../../src/money/index.js',
      '../../../../src/rules/index.js',
      'node:stream/promises',
      'zod',
    ]);
  });
});
