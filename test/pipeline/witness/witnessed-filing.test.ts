import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../../support/ledger-engines.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import {
  booksAt,
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
} from '../../scenarios/scenario-harness.js';
import { syncedNight } from './witnessed-flow.js';

const engines = useLedgerEngines();

/** The chart's tax: the panel's orders at 20 %, so March's return has boxes to file. */
const CHART_TAX = ['tax:', '  order_charge: [{ code: INPUT2, rate: 20 }]', ''].join('\n');

/** The filing and its seal deleted behind the database's back, as someone with the database's own tools would. */
const FILING_DELETED = (ledger: string) => [
  ...(ledger.startsWith('postgres')
    ? ['ALTER TABLE filed_returns DISABLE TRIGGER USER', 'ALTER TABLE row_seals DISABLE TRIGGER USER']
    : ['DROP TRIGGER filed_returns_no_delete', 'DROP TRIGGER row_seals_no_delete']),
  "DELETE FROM row_seals WHERE table_name = 'filed_returns'",
  "DELETE FROM filed_returns WHERE period = '2026-03'",
];

/** The URL witness's line of the configuration: taken out where the witness file alone is shown to name the filing. */
const URL_LINE = '  url: ${WITNESS_URL}\n';

/** The configuration with or without its URL witness. */
function withUrlWitness(config: string, on: boolean): void {
  const text = readFileSync(config, 'utf8').replace(URL_LINE, '');
  writeFileSync(config, on ? `${text}${URL_LINE}` : text);
}

const LATE_INVOICE = [
  'adjust',
  '--date',
  '2026-03-20',
  '--debit',
  'smm_services_expense=2.00',
  '--credit',
  'suspense=2.00',
  '--reason',
  'a late invoice',
];

interface FilingRecord {
  kind: 'filing';
  period: string;
  sha256: string;
  command: string;
  sealsHead: { position: number; link: string };
}

/**
 * Issue 84 item 3: `vat file` moves no chain head, so a March filed (not closed) whose row and seal were deleted
 * behind the database's back verified clean and took bookings again. The filing is now witnessed like a close: a
 * record in the witness file (period, the return's SHA-256, the seals' head), `verify` names the filing the ledger
 * lacks with that file alone, and the period stays locked: the next booking is refused, the books unchanged.
 */
describe.each(LEDGER_ENGINES)('a filed return witnessed outside the ledger (%s)', { timeout: 180_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let witness: string;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, `witnessed-filing-${engine}`, { ledger: () => engines.fresh(engine) });
    witness = join(workspace.dir, 'witness', 'heads.jsonl');
    appendFileSync(join(workspace.dir, 'mappings', 'default.yaml'), CHART_TAX);
    const config = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^( {4}region: ).*$/m, '$1UK'));
    workspace.env.WITNESS_URL = `${sandbox.witnessUrl}/filing-${engine}`;
    appendFileSync(config, `\nwitness:\n  file: witness/heads.jsonl\n${URL_LINE}`);
    for (const day of ['2026-03-29', '2026-03-30']) await syncedNight(sandbox, workspace, day);
    await setSandboxDay(sandbox, '2026-03-31');
  });

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('vat file appends the filing to the witness: its period, the return as printed and the seals head', async () => {
    const filing = await workspace.run(['vat', 'file', '--period', '2026-03', '--json']);
    expect(filing.code, filing.stderr).toBe(0);
    const filed = JSON.parse(filing.stdout) as { filed: { returnSha256: string } };
    const records = readFileSync(witness, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string });
    const filings = records.filter((record): record is FilingRecord => record.kind === 'filing');
    expect(filings).toEqual([
      expect.objectContaining({ period: '2026-03', sha256: filed.filed.returnSha256, command: 'vat file' }),
    ]);
    const seals = await readBooks(workspace.ledger, (books) => books.count('row_seals'));
    expect(filings[0]!.sealsHead.position).toBe(seals);
    const verified = await workspace.run(['verify']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/\(\d+ heads, 0 certificates, 1 filings\)/);
  });

  it('the filing and its seal deleted: verify names it from the witness file alone (exit 1), and the period stays locked', async () => {
    const heldAtUrl = await (await fetch(workspace.env.WITNESS_URL!)).text();
    expect(heldAtUrl, 'the URL witness holds the filing too').toContain('"kind":"filing"');
    await rawTransaction(workspace.ledger, FILING_DELETED(workspace.ledger));
    withUrlWitness(join(workspace.dir, 'ledgerline.yaml'), false);
    expect(await readBooks(workspace.ledger, (books) => books.count('filed_returns'))).toBe(0);
    const verified = await workspace.run(['verify']);
    expect(verified.code, verified.stdout).toBe(1);
    expect(verified.stdout).toMatch(
      /^! witnessed_filing_missing: the return of 2026-03 was witnessed filed on \d{4}-\d\d-\d\d \(return sha256:[0-9a-f]{64}, seals' head at position \d+\), but the ledger records no filing of it: /m,
    );

    const before = await booksAt(workspace.ledger);
    const refused = await workspace.run(LATE_INVOICE);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('error: nothing was booked: the return of 2026-03 was witnessed filed on ');
    expect(await booksAt(workspace.ledger)).toEqual(before);
    const status = await workspace.run(['status']);
    expect(status.stdout).toContain('! witnessed_filing_missing: the return of 2026-03');
  });

  it('with the witness file gone, the URL witness names the filing the ledger lacks', async () => {
    withUrlWitness(join(workspace.dir, 'ledgerline.yaml'), true);
    rmSync(witness);
    const verified = await workspace.run(['verify']);
    expect(verified.code, verified.stdout).toBe(1);
    expect(verified.stdout).toMatch(
      /^! witnessed_filing_missing: the URL witness at 127\.0\.0\.1:\d+: the return of 2026-03 was witnessed filed on /m,
    );
    const refused = await workspace.run(LATE_INVOICE);
    expect(refused.code, refused.stderr).toBe(1);
  });
});
