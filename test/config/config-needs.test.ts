import { describe, expect, test } from 'vitest';
import { loadConfig, loadEachEntityConfig } from '../../src/config/index.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { configErrorOf, tempFolder } from './temp-folder.js';

/**
 * Only the variables of the parts a command uses must be set: "export and reconcile need none" (the example
 * configuration's words) holds with entities: too. An entity's organisation (its Xero tenant and grant, as the
 * fleet sandbox writes them) is needed by a post to that destination, not by status, metrics or an export.
 */
const FILE = [
  'timezone: UTC',
  'currency: USD',
  'payouts: { method: paypal }',
  'entities:',
  '  north:',
  '    ledger: ./north/ledger.sqlite',
  '    xero: { tenantId: "${XERO_NORTH_TENANT_ID}", refreshToken: "${XERO_NORTH_REFRESH_TOKEN}" }',
  '  south:',
  '    ledger: ./south/ledger.sqlite',
  '    xero: { tenantId: "${XERO_SOUTH_TENANT_ID}" }',
  'destinations:',
  '  xero: { tenantId: "${XERO_TENANT_ID}", clientId: client-1, clientSecret: "${XERO_SECRET}" }',
  'sources:',
  '  - { id: panel-a, kind: panel, url: "http://127.0.0.1:9/a/api/v2", apiKey: "${PANEL_KEY}", entity: north }',
];

function folderWith(lines: readonly string[]) {
  const folder = tempFolder();
  folder.write('ledgerline.yaml', `${lines.join('\n')}\n`);
  return { kinds: configKinds(), env: { PANEL_KEY: 'panel_secret_0001' }, cwd: folder.dir };
}

describe("the variables a command needs: its parts' only", () => {
  test("a command that posts nowhere loads every entity without any destination's variables", () => {
    const options = folderWith(FILE);
    expect(loadEachEntityConfig(options).map((config) => config.entity)).toEqual(['north', 'south']);
    expect(loadConfig({ ...options, entity: 'north', need: { sources: 'all' } }).sources).toHaveLength(1);
  });

  test("a post to xero still needs the entity's organisation, named at its line", () => {
    const options = folderWith(FILE);
    const paths = configErrorOf(() =>
      loadConfig({ ...options, entity: 'north', need: { destinations: ['xero'] } }),
    ).problems.map((problem) => `${problem.path}: ${problem.message.replace(/ \(line \d+\)$/, '')}`);
    expect(paths).toContain('entities.north.xero.tenantId: XERO_NORTH_TENANT_ID is not set');
    expect(paths).toContain('entities.north.xero.refreshToken: XERO_NORTH_REFRESH_TOKEN is not set');
  });

  test("an entity's ledger is needed by every command", () => {
    const options = folderWith(FILE.map((line) => line.replace('./north/ledger.sqlite', '"${NORTH_LEDGER}"')));
    const paths = configErrorOf(() => loadConfig({ ...options, entity: 'north' })).problems.map(
      (problem) => problem.path,
    );
    expect(paths).toContain('entities.north.ledger');
  });
});
