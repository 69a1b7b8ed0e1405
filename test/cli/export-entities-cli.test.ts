import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { assertBuilt, bookEntries, runCli } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-export-entities-');

beforeAll(assertBuilt);

/**
 * A practice's file (`entities:`, as `demo --fleet` writes it): each client's organisation through its own
 * variables. README, Configuration: "export and reconcile need none" of the variables; the accountant who exports a
 * client's books has none of the organisations' secrets, and needs none.
 */
function practiceConfig(dir: string): string {
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    [
      'timezone: UTC',
      'currency: USD',
      'entities:',
      '  north:',
      '    ledger: ./data/ledger.sqlite',
      '    xero: { tenantId: "${XERO_TENANT_ID}", refreshToken: "${XERO_NORTH_REFRESH_TOKEN}" }',
      '  south:',
      '    ledger: ./south/ledger.sqlite',
      '    xero: { tenantId: "${XERO_SOUTH_TENANT_ID}", refreshToken: "${XERO_SOUTH_REFRESH_TOKEN}" }',
      'destinations:',
      '  xero: { clientId: "${XERO_CLIENT_ID}", clientSecret: "${XERO_CLIENT_SECRET}" }',
      'sources: []',
    ].join('\n') + '\n',
  );
  return config;
}

describe('ledgerline export and balances of one entity of a practice (the built CLI)', () => {
  it("read the entity's books without any organisation's variables set; post still names each it needs", async () => {
    const dir = tempDir();
    const config = practiceConfig(dir);
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
    const cli = (args: string[]) => runCli([...args, '--config', config, '--entity', 'north'], { cwd: dir });

    const exported = await cli(['export', '--format', 'generic']);
    expect(exported.stderr).not.toContain('is not set');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('je:test:0001,2024-02-03,smm_services_expense,1.01,,USD,');
    const balances = await cli(['balances']);
    expect(balances.code, balances.stderr).toBe(0);
    expect(balances.stdout).toContain('smm_services_expense');

    const post = await cli(['post', 'xero']);
    expect(post.code).toBe(2);
    expect(post.stderr).toContain('entities.north.xero.tenantId: XERO_TENANT_ID is not set');
  });
});
