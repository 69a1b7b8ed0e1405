import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig, loadEachEntityConfig } from '../../src/config/index.js';
import { UsageError } from '../../src/errors.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { configErrorOf, tempFolder } from './temp-folder.js';

const ENV = { PANEL_KEY: 'panel_secret_0001', ADS_KEY: 'ads_secret_0002', XERO_SECRET: 'xero_secret_0003' };
const DESTINATIONS = [
  'destinations:',
  '  xero: { tenantId: tenant-top, clientId: client-1, clientSecret: "${XERO_SECRET}" }',
];
const ENTITIES = [
  'entities:',
  '  north:',
  '    ledger: ./north/ledger.sqlite',
  '    xero: { tenantId: tenant-north }',
  '  south:',
  '    ledger: ./south.sqlite',
  '    xero: { tenantId: tenant-south }',
];

function entitiesFolder(lines: readonly string[], csv: readonly string[] = []) {
  const folder = tempFolder();
  if (csv.length > 0) folder.write('sources.csv', `${csv.join('\n')}\n`);
  folder.write(
    'ledgerline.yaml',
    `${['timezone: UTC', 'currency: USD', 'payouts: { method: paypal }', ...lines].join('\n')}\n`,
  );
  const options = { kinds: configKinds(), env: ENV, cwd: folder.dir };
  return {
    ...folder,
    load: (entity?: string) => loadConfig({ ...options, entity }),
    each: () => loadEachEntityConfig(options),
  };
}

describe('entities: several organisations from one configuration', () => {
  test('the file seen as one entity: its ledger, its token store, its organisation over destinations:, only its sources (yaml and table)', () => {
    const folder = entitiesFolder(
      [
        ...ENTITIES,
        ...DESTINATIONS,
        'sources:',
        '  - { id: ads, kind: payelancer, baseUrl: "http://127.0.0.1:9/ads", apiKey: "${ADS_KEY}", entity: south }',
        '  - file: sources.csv',
      ],
      ['id,kind,url,secret,entity', 'panel-a,panel,http://127.0.0.1:9/a/api/v2,PANEL_KEY,north'],
    );
    const north = folder.load('north');
    expect(north.entity).toBe('north');
    expect(north.entities).toEqual(['north', 'south']);
    expect(north.ledger).toBe(join(folder.dir, 'north/ledger.sqlite'));
    expect(north.tokenStore).toBe(join(folder.dir, 'north/.ledgerline-tokens.north.json'));
    expect(north.sources.map((source) => source.id)).toEqual(['panel-a']);
    expect(north.destinations.xero).toMatchObject({ tenantId: 'tenant-north', clientId: 'client-1' });
    const south = folder.load('south');
    expect(south.ledger).toBe(join(folder.dir, 'south.sqlite'));
    expect(south.tokenStore).toBe(join(folder.dir, '.ledgerline-tokens.south.json'));
    expect(south.sources.map((source) => source.id)).toEqual(['ads']);
    expect(south.destinations.xero).toMatchObject({ tenantId: 'tenant-south' });
    expect(folder.each().map((config) => [config.entity, config.sources.length])).toEqual([
      ['north', 1],
      ['south', 1],
    ]);
  });

  test('a command that needs one entity refuses to guess among several, and an unknown name is refused with the likely one', () => {
    const folder = entitiesFolder([...ENTITIES, ...DESTINATIONS, 'sources: []']);
    expect(() => folder.load()).toThrow(UsageError);
    expect(() => folder.load()).toThrow(
      'this configuration books 2 entities (north, south): name one with --entity NAME',
    );
    expect(() => folder.load('nort')).toThrow(
      '--entity nort: no such entity; its entities are north, south (did you mean north?)',
    );
  });

  test("every problem at once, each naming its entry, row or entity: a source without its entity or naming another, the top level's ledger, an organisation field", () => {
    const folder = entitiesFolder(
      [
        'ledger: ./ledger.sqlite',
        ...ENTITIES,
        '    quickbooks: { realmId: "" }',
        ...DESTINATIONS,
        'sources:',
        '  - { id: ads, kind: payelancer, baseUrl: "http://127.0.0.1:9/ads", apiKey: "${ADS_KEY}" }',
        '  - file: sources.csv',
      ],
      ['id,kind,url,secret,entity', 'panel-a,panel,http://127.0.0.1:9/a/api/v2,PANEL_KEY,sout'],
    );
    const messages = configErrorOf(() => folder.load('north')).problems.map(
      (problem) => `${problem.path}: ${problem.message.replace(/ \(line \d+\)$/, '')}`,
    );
    expect(messages).toEqual([
      'entities.south.quickbooks.realmId: must not be empty',
      'sources[0]: must name its entity (entity: one of north, south)',
      'row 2, column entity: names no entity of entities: (north, south) (did you mean south?)',
      'ledger: is kept per entity when the file has entities: (remove it here)',
      'entities.south.quickbooks: sets quickbooks fields, but destinations.quickbooks is not configured',
    ]);
  });

  test('without entities: a source naming one is refused, and the file loads as it always has', () => {
    const folder = entitiesFolder([
      'ledger: ./ledger.sqlite',
      'sources:',
      '  - { id: ads, kind: payelancer, baseUrl: "http://127.0.0.1:9/ads", apiKey: "${ADS_KEY}", entity: north }',
    ]);
    expect(configErrorOf(() => folder.load()).problems.map((problem) => problem.message)).toEqual([
      'names entity "north", but the file has no entities: (line 6)',
    ]);
    const plain = entitiesFolder(['ledger: ./ledger.sqlite', 'sources: []']).load();
    expect([plain.entity, plain.entities, plain.tokenStore.endsWith('/.ledgerline-tokens.json')]).toEqual([
      undefined,
      [],
      true,
    ]);
  });

  test("an entity's organisation needs its variables only in a command that uses that destination: export none, post xero each", () => {
    const folder = entitiesFolder([
      'entities:',
      '  north:',
      '    ledger: ./north.sqlite',
      '    xero: { tenantId: "${XERO_NORTH_TENANT}" }',
      '  south:',
      '    ledger: ./south.sqlite',
      '    xero: { tenantId: "${XERO_SOUTH_TENANT}" }',
      ...DESTINATIONS,
      'sources: []',
    ]);
    const options = { kinds: configKinds(), env: ENV, cwd: folder.dir, entity: 'north' };
    // README: "export and reconcile need none": the accountant's export reads the books, never Xero.
    const exporting = loadConfig({ ...options, need: { onlyReads: true } });
    expect(exporting.ledger).toBe(join(folder.dir, 'north.sqlite'));
    expect(exporting.unresolved.map((reference) => reference.variables).flat()).toContain('XERO_NORTH_TENANT');
    expect(
      configErrorOf(() => loadConfig({ ...options, need: { destinations: ['xero'] } })).problems.map(
        (problem) => `${problem.path}: ${problem.message}`,
      ),
    ).toEqual([
      'entities.north.xero.tenantId: XERO_NORTH_TENANT is not set (line 7)',
      'entities.south.xero.tenantId: XERO_SOUTH_TENANT is not set (line 10)',
    ]);
  });
});
