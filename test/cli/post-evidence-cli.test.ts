import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { entryId, shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { SECRETS, bookEntries, runCli, writeConfig, type CliRun } from './post-cli-harness.js';
import { zipMembers } from '../support/zip-members.js';

let dir: string;
let xero: RunningXeroFake;
let first: CliRun;
let again: CliRun;

/** Two entries posted by `ledgerline post xero` with `evidence: attach`, then the same post again: the CLI's whole path, in process. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledgerline-post-evidence-'));
  xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: shippedChartsForFakes().xero,
  });
  mkdirSync(join(dir, 'mappings'));
  for (const file of ['default.yaml', 'xero.yaml'])
    copyFileSync(join(packageMappingsDir(), file), join(dir, 'mappings', file));
  const config = writeConfig(dir, { xero }, 'mappings: ./mappings/default.yaml\n');
  writeFileSync(config, readFileSync(config, 'utf8').replace('  xero:\n', '  xero:\n    evidence: attach\n'));
  await bookEntries(dir, [spendEntry(1, '2024-02-01'), spendEntry(2, '2024-02-02')]);
  first = await runCli(['post', 'xero'], { cwd: dir });
  again = await runCli(['post', 'xero'], { cwd: dir });
});
afterAll(async () => {
  await xero.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ledgerline post xero with evidence: attach', () => {
  it('posts each journal naming its evidence and attaches the file `ledgerline evidence` writes, once, whatever the runs', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(again.code, again.stderr).toBe(0);
    const evidence = await runCli(['evidence', entryId(1), '--out', 'e1.zip', '--json'], { cwd: dir });
    expect(evidence.code, evidence.stderr).toBe(0);
    const { manifestSha256 } = JSON.parse(evidence.stdout);
    const journal = xero.fake.journals().find((candidate) => candidate.narration.endsWith(`[${entryId(1)}]`))!;
    expect(journal.narration).toContain(`evidence sha256:${manifestSha256}`);
    const attached = xero.fake.attachments();
    expect(attached.map((attachment) => attachment.fileName)).toEqual([
      'evidence-je-test-0001.zip',
      'evidence-je-test-0002.zip',
    ]);
    const file = attached.find((attachment) => attachment.manualJournalId === journal.manualJournalId)!;
    expect(file.bytes.equals(readFileSync(join(dir, 'e1.zip')))).toBe(true);
    expect(zipMembers(file.bytes).has('manifest.json')).toBe(true);
  });
});
