import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../src/cli/commands/index.js';
import { runLedgerline } from '../support/cli.js';
import { MISSING_LEDGER_CONFIG, UNANSWERED_XERO_DESTINATION } from '../support/missing-ledger.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-ledger-modes-');
const COMMANDS = commandTable();

/** The secrets MISSING_LEDGER_FULL_CONFIG reads from the environment. */
const SECRETS = {
  PANEL_KEY: 'key',
  WEBHOOK_SECRET: 'a-secret-of-at-least-32-characters',
  XERO_CLIENT_SECRET: 'secret',
};

/** A bank account's statements: transit and the bank's items get to its ledger. */
const MISSING_LEDGER_BANK_CONFIG = [
  MISSING_LEDGER_CONFIG.replace('sources: []', ''),
  'sources:',
  '  - id: operating',
  '    kind: bank-statement',
  '    csv: { date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id, balance: Balance }',
].join('\n');

/** A destination on a port nothing answers, a panel source and the webhooks' secret: post, close, the servers get to it. */
const MISSING_LEDGER_FULL_CONFIG = [
  MISSING_LEDGER_CONFIG.replace('sources: []', ''),
  'sources:',
  '  - id: smm-panel',
  '    kind: panel',
  '    url: http://127.0.0.1:9/api/v2',
  '    apiKey: ${PANEL_KEY}',
  'webhooks: { secret: "${WEBHOOK_SECRET}", port: 0 }',
  UNANSWERED_XERO_DESTINATION,
].join('\n');

/**
 * A command line of each command that opens the ledger but may not create it, each verb and flag that opens it
 * differently among them: the table (cli/commands/index.ts) says which commands these must be.
 */
const LINES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  post: [
    ['post', 'xero', '--dry-run', '--config', 'full.yaml'],
    ['post', 'xero', '--config', 'full.yaml'],
  ],
  adjust: [
    ['adjust', 'approve', 'adj-1'],
    ['adjust', '--date', '2026-02-10', '--debit', 'bank_fees=1.00', '--credit', 'bank=1.00', '--reason', 'fee'],
  ],
  vat: [
    ['vat', '--period', '2026-Q1'],
    ['vat', 'file', '--period', '2026-Q1'],
  ],
  serve: [['serve', '--port', '0']],
  reconcile: [['reconcile'], ['reconcile', 'ack', 'x-1']],
  transit: [
    ['transit'],
    ['transit', '--as-of', '2026-03-05'],
    ['transit', 'accept', 'payelancer:pub:payout:2026-03-31'],
  ],
  close: [
    ['close', '--period', '2026-02'],
    ['close', '--period', '2026-02', '--config', 'full.yaml'],
  ],
  exceptions: [['exceptions', 'ack', 'x-1']],
  webhooks: [['webhooks', '--config', 'full.yaml']],
  'panel-proxy': [['panel-proxy', '--source', 'smm-panel', '--port', '0', '--config', 'full.yaml']],
  export: [['export', '--format', 'generic']],
  verify: [['verify']],
  status: [['status']],
  metrics: [['metrics']],
  digest: [['digest', '--dry-run']],
  evidence: [['evidence', 'je:smm-panel:2026-03-02', '--out', 'e.zip']],
  balances: [['balances']],
  report: [['report']],
};

describe('the command table says how each command opens the ledger (issue 85)', () => {
  it('names a command line here for every command that opens the ledger and may not create it', () => {
    const mayNotCreate = COMMANDS.filter(({ ledger }) => ledger !== 'create' && ledger !== 'none').map(
      ({ name }) => name,
    );
    expect(Object.keys(LINES).sort()).toEqual(mayNotCreate.sort());
  });

  it('every such command, on a ledger path with nothing there, says so in one line naming it and makes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledgerline.yaml'), MISSING_LEDGER_BANK_CONFIG);
    writeFileSync(join(dir, 'full.yaml'), MISSING_LEDGER_FULL_CONFIG);
    const missing = join(dir, 'typo', 'ledger.sqlite');
    for (const line of Object.values(LINES).flat()) {
      const run = await runLedgerline(line, { cwd: dir, env: { ...SECRETS, NO_COLOR: '1' }, timeoutMs: 20_000 });
      const said = line.join(' ');
      expect(run.code, `${said}\n${run.stderr}`).not.toBe(0);
      expect(run.code, said).not.toBe(70);
      expect(run.stderr.trim().split('\n'), said).toEqual([expect.stringMatching(/^error: /)]);
      expect(run.stderr, said).toContain(`there is no ledger at ${missing}`);
      expect(existsSync(join(dir, 'typo')), said).toBe(false);
    }
  });

  it('a read-only command leaves an existing ledger byte for byte as it was, its time of change too', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledgerline.yaml'), MISSING_LEDGER_CONFIG.replace('./typo/', './data/'));
    const made = await runLedgerline(['migrate'], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    const ledger = join(dir, 'data', 'ledger.sqlite');
    const before = { hash: sha256(ledger), mtimeMs: statSync(ledger).mtimeMs };
    const readOnly = COMMANDS.filter(({ ledger: mode }) => mode === 'read-only').map(({ name }) => name);
    expect(readOnly.length).toBeGreaterThan(0);
    for (const name of readOnly) {
      for (const line of LINES[name]!) {
        const run = await runLedgerline([...line, '--config', join(dir, 'ledgerline.yaml')], { cwd: dir });
        expect(run.code, `${line.join(' ')}\n${run.stderr}`).toBe(0);
        expect({ hash: sha256(ledger), mtimeMs: statSync(ledger).mtimeMs }, line.join(' ')).toEqual(before);
      }
    }
  });
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
