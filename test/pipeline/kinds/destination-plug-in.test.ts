import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageMappingsDir } from '../../../src/config/index.js';
import { spendEntry } from '../post-fixtures.js';
import { bookEntries, runCli } from '../../cli/post-cli-harness.js';
import { useTempDir } from '../../support/temp-dir.js';
import { failureItem } from '../../../src/alerts/next-step.js';
import { AuthError } from '../../../src/errors.js';
import { destinationKinds, registerDestinationKind } from '../../../src/pipeline/kinds/index.js';
import { useJournalApiDestination } from '../../support/plug-ins/use-journal-api.js';
import { csvJournalDestination, csvJournalMapping } from '../../support/plug-ins/csv-journal-destination.js';
import { useCsvJournalDestination } from '../../support/plug-ins/use-csv-journal.js';
import { registeredDestinations } from '../../support/registered-destinations.js';

const tempDir = useTempDir('ledgerline-destination-plug-in-');
useCsvJournalDestination();
useJournalApiDestination();

/** What csv-journal.yaml calls the two accounts the spends book to; every other account keeps its key. */
const RENAMED: Readonly<Record<string, string>> = {
  smm_services_expense: '5100 SMM services',
  panel_prepaid: '1200 Panel balance',
};

/**
 * A ledger of two spends in February 2024 (1.01 and 1.02 USD), and a configuration naming it and a copy of the shipped
 * chart, with csv-journal.yaml beside it mapping every chart account (`edit` may change that file first).
 */
async function seededLedger(
  extraConfig = '',
  edit: (accounts: Record<string, unknown>) => void = () => undefined,
): Promise<{ dir: string; config: string; mapping: string }> {
  const dir = tempDir();
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    [
      'ledger: ./data/ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      extraConfig,
      'mappings: ./mappings/default.yaml',
    ].join('\n') + '\n',
  );
  mkdirSync(join(dir, 'mappings'));
  const chart = readFileSync(join(packageMappingsDir(), 'default.yaml'), 'utf8');
  writeFileSync(join(dir, 'mappings', 'default.yaml'), chart);
  const accountKeys = Object.keys((parse(chart) as { accounts: Record<string, unknown> }).accounts);
  const accounts: Record<string, unknown> = Object.fromEntries(
    accountKeys.map((key) => [key, { account: RENAMED[key] ?? key }]),
  );
  edit(accounts);
  const mapping = join(dir, 'mappings', 'csv-journal.yaml');
  writeFileSync(mapping, stringify({ accounts }));
  await bookEntries(dir, [spendEntry(1, '2024-02-03'), spendEntry(2, '2024-02-04')]);
  return { dir, config, mapping };
}

const WINDOW = ['--from', '2024-02-01', '--to', '2024-02-29'];

// Written by hand from the two spends: each a journal of two lines, the expense debited and the prepaid credited,
// in the names csv-journal.yaml gives them.
const EXPECTED_JOURNAL = [
  'journal,date,account,debit,credit,memo',
  'J1,2024-02-03,5100 SMM services,1.01,,SMM panel orders 2024-02-03 #1',
  'J1,2024-02-03,1200 Panel balance,,1.01,SMM panel orders 2024-02-03 #1',
  'J2,2024-02-04,5100 SMM services,1.02,,SMM panel orders 2024-02-04 #2',
  'J2,2024-02-04,1200 Panel balance,,1.02,SMM panel orders 2024-02-04 #2',
  '',
].join('\n');

describe('a destination kind registered from test/support (csv-journal), with no file of src/ changed', () => {
  it('export --format csv-journal writes one row per journal line, its accounts named by csv-journal.yaml, to stdout and to --out', async () => {
    const { dir, config } = await seededLedger();
    const toStdout = await runCli(['export', '--format', 'csv-journal', ...WINDOW, '--config', config], { cwd: dir });
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout).toBe(EXPECTED_JOURNAL);

    const toFile = await runCli(
      ['export', '--format', 'csv-journal', ...WINDOW, '--out', 'journal.csv', '--config', config],
      { cwd: dir },
    );
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toBe(`wrote ${join(dir, 'journal.csv')}: 2 journals, 4 lines\n`);
    expect(readFileSync(join(dir, 'journal.csv'), 'utf8')).toBe(EXPECTED_JOURNAL);
  });

  it('export --help lists it with the built-in formats, and a misspelt format is refused with it offered', async () => {
    const { dir, config } = await seededLedger();
    const help = await runCli(['export', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`--format ${registeredDestinations.formatChoices} `);
    expect(registeredDestinations.formatChoices).toMatch(/\|csv-journal$/);
    expect(help.stdout).toContain('csv-journal: a CSV journal, one row per line (a test plug-in)');

    const misspelt = await runCli(['export', '--format', 'csv-jornal', '--config', config], { cwd: dir });
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain(`--format takes ${registeredDestinations.formats}, not "csv-jornal"`);
    expect(misspelt.stderr).toContain('did you mean "ledgerline export --format csv-journal --config');
  });

  it('the configuration takes its section under destinations: (journalPrefix), and refuses a key it does not know', async () => {
    const prefixed = await seededLedger('destinations:\n  csv-journal:\n    journalPrefix: GJ-');
    const exported = await runCli(['export', '--format', 'csv-journal', ...WINDOW, '--config', prefixed.config], {
      cwd: prefixed.dir,
    });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(EXPECTED_JOURNAL.replace(/^J(\d)/gm, 'GJ-$1'));

    const misspelt = await seededLedger('destinations:\n  csv-journal:\n    prefix: GJ-');
    const refused = await runCli(['export', '--format', 'csv-journal', ...WINDOW, '--config', misspelt.config], {
      cwd: misspelt.dir,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${misspelt.config} at destinations.csv-journal.prefix: unknown key (line 6)`);
  });

  it('its mapping file must map every account the chart books to, and is refused naming the file, the account and the line', async () => {
    const { dir, config, mapping } = await seededLedger('', (accounts) => void delete accounts.panel_prepaid);
    const refused = await runCli(['export', '--format', 'csv-journal', ...WINDOW, '--config', config], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `error: configuration error: ${mapping} at accounts.panel_prepaid: has no CSV journal mapping, and the chart books to it ` +
        '(order_charge, order_refund, panel_opening_balance, panel_topup, panel_unexplained_fall, panel_fall_explained, panel_rounding_gain, panel_rounding_loss) (line 2)\n',
    );
    expect(refused.stdout).toBe('');
  });

  it("a plug-in destination's errors get a destination's advice, named as the configuration names it, by the registry's names", () => {
    const names = destinationKinds.withApi().map((kind) => kind.name);
    expect(names).toContain('journal-api');
    // Its client names itself "Journal API", as Xero's names itself "Xero".
    expect(failureItem('ledger', new AuthError('Journal API', 'HTTP 401'), names)).toMatchObject({
      subject: 'journal-api',
      nextStep:
        "check destinations.journal-api.clientId and clientSecret against the app's keys in the developer portal, " +
        'then run `ledgerline connect journal-api`',
    });
  });

  it("a second kind under a taken name, one named rates (the exchange rates' key) or one bringing another kind's configuration or mapping file is refused", () => {
    expect(() => registerDestinationKind({ ...csvJournalDestination })).toThrow(
      'a destination kind named "csv-journal" is already registered',
    );
    expect(() => registerDestinationKind({ name: 'rates' })).toThrow(
      '"rates" is destinations.rates in the configuration',
    );
    expect(() => registerDestinationKind({ name: 'journal', config: { kind: 'csv-journal' } })).toThrow(
      'destination kind "journal" brings the configuration of "csv-journal"',
    );
    expect(() => registerDestinationKind({ name: 'journal', mapping: csvJournalMapping })).toThrow(
      'destination kind "journal" brings the mapping file of "csv-journal"',
    );
  });
});
