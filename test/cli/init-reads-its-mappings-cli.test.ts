import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 83: the files init writes are the files read. `init --for csv` wrote mappings/ beside the configuration while
 * the configuration read the package's chart, so a line of garbage appended to ./mappings/default.yaml still gave
 * doctor "all 1 checks passed" and every edit there was silently ignored.
 */
const tempDir = useTempDir('ledgerline-init-mappings-');

describe('a configuration from any init reads the mappings/ written beside it', () => {
  it('init --for csv: doctor names the chart it read, and a broken line in it is refused naming the file', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--for', 'csv'], { cwd: dir })).code).toBe(0);
    const chart = join(dir, 'mappings', 'default.yaml');
    const doctor = await runLedgerline(['doctor'], { cwd: dir });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`read ${join(dir, 'ledgerline.yaml')} (chart ${chart}): 0 sources`);
    appendFileSync(chart, 'garbage: [\n');
    const broken = await runLedgerline(['doctor'], { cwd: dir });
    expect([broken.code, broken.stdout]).toEqual([
      2,
      expect.stringContaining(`configuration error: ${chart}: YAML syntax`),
    ]);
  });

  it.each(['xero', 'quickbooks'])('init --for %s: the configuration reads ./mappings/default.yaml', async (target) => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--for', target], { cwd: dir })).code).toBe(0);
    const config = loadConfig({ kinds: configKinds(), env: {}, cwd: dir, need: { sources: 'all', destinations: [] } });
    expect(config.mappings).toBe(join(dir, 'mappings', 'default.yaml'));
  });
});
