import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import { startQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-post-classes-');
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('post --to quickbooks with a class and a location from mappings/quickbooks.yaml (the built CLI, the real loader)', () => {
  it('sends ClassRef and DepartmentRef by the ids the mapping gives', async () => {
    const dir = tempDir();
    const server = await startQuickBooksFake({
      clientId: SECRETS.QBO_CLIENT_ID,
      clientSecret: SECRETS.QBO_CLIENT_SECRET,
      refreshToken: SECRETS.QBO_REFRESH_TOKEN,
      refreshTokenGraceMs: 0,
      accounts: shippedChartsForFakes().quickbooks,
      classes: [{ id: '5000000000000012', name: 'SMM panels' }],
      departments: [{ id: '7', name: 'Remote' }],
    });
    closers.push(server.close);
    const mappings = join(dir, 'mappings');
    cpSync(packageMappingsDir(), mappings, { recursive: true });
    const quickbooksYaml = join(mappings, 'quickbooks.yaml');
    writeFileSync(
      quickbooksYaml,
      readFileSync(quickbooksYaml, 'utf8').replace(
        /^ {2}smm_services_expense: +\{ (.*) \}$/m,
        '  smm_services_expense: { $1, class: { id: "5000000000000012", name: "SMM panels" }, location: { id: "7", name: "Remote" } }',
      ),
    );
    const config = writeConfig(dir, { quickbooks: server }, `mappings: ./mappings/default.yaml\n`);
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);

    const run = await runCli(['post', 'quickbooks', '--config', config], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = server.fake.journalEntries().flatMap((entry) => entry.lines);
    expect(lines.filter((line) => line.classId === '5000000000000012' && line.departmentId === '7')).toHaveLength(1);
  });
});
