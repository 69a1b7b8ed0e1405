import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { configErrorOf, tempFolder } from './temp-folder.js';

const YAML_HEAD = [
  'ledger: ./ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'payouts: { method: paypal }',
  'monitor: { silentAfterDays: 4 }',
];
const ENV = { PANEL_A_KEY: 'panel_a_secret_0001', ADS_KEY: 'ads_secret_0002', PANEL_B_KEY: 'panel_b_secret_0003' };

function fleetFolder(sourcesYaml: readonly string[], csv: readonly string[]) {
  const folder = tempFolder();
  folder.write('sources.csv', `${csv.join('\n')}\n`);
  const file = folder.write('ledgerline.yaml', `${[...YAML_HEAD, ...sourcesYaml].join('\n')}\n`);
  return { ...folder, file, load: () => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir }) };
}

describe('sources kept as a table beside ledgerline.yaml', () => {
  test('each row is a source as its kind reads it: the url under its own field, the secret from the named variable', () => {
    const folder = fleetFolder(
      ['sources: { file: sources.csv }'],
      [
        'id,kind,url,secret,schedule,silent_after_days,stuckAfterDays,payouts.method',
        'panel-a,panel,http://127.0.0.1:9/a/api/v2,PANEL_A_KEY,30 2 * * *,,45,',
        'ads,payelancer,http://127.0.0.1:9/ads/,${ADS_KEY},,7,,wire',
      ],
    );
    const [panel, ads] = folder.load().sources as unknown as Record<string, unknown>[];
    expect(panel).toMatchObject({
      id: 'panel-a',
      kind: 'panel',
      url: 'http://127.0.0.1:9/a/api/v2',
      apiKey: ENV.PANEL_A_KEY,
      stuckAfterDays: 45,
      schedule: '30 2 * * *',
    });
    expect(panel).not.toHaveProperty('silentAfterDays');
    expect(ads).toMatchObject({
      id: 'ads',
      baseUrl: 'http://127.0.0.1:9/ads',
      apiKey: ENV.ADS_KEY,
      silentAfterDays: 7,
    });
    expect(ads?.payouts).toMatchObject({ method: 'wire' });
  });

  test('the yaml list and the table together: a source id in both is refused, naming the row', () => {
    const folder = fleetFolder(
      [
        'sources:',
        '  - id: panel-a',
        '    kind: panel',
        '    url: http://127.0.0.1:9/a/api/v2',
        '    apiKey: ${PANEL_A_KEY}',
        '  - file: sources.csv',
      ],
      [
        'id,kind,url,secret',
        'panel-b,panel,http://127.0.0.1:9/b/api/v2,PANEL_B_KEY',
        'panel-a,panel,http://127.0.0.1:9/c/api/v2,PANEL_B_KEY',
      ],
    );
    const error = configErrorOf(folder.load);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain('sources.csv row 3, column id: id "panel-a" is already used by sources[0]');
  });

  test("every row's problems at once, each naming the file, the row and the column; a secret written in the table is never quoted", () => {
    const folder = fleetFolder(
      ['sources: { file: sources.csv }'],
      [
        'id,kind,url,secret,stuckAfterDays,silent_after_days,schedule',
        'good-1,panel,http://127.0.0.1:9/1/api/v2,PANEL_A_KEY,,,',
        'bad-url,panel,ftp://127.0.0.1/x,PANEL_A_KEY,,,',
        '# a comment line is not a source',
        'bad-secret,panel,http://127.0.0.1:9/2/api/v2,sk_live_abc-123,,,',
        'bad-kind,panle,http://127.0.0.1:9/3/api/v2,PANEL_A_KEY,,,',
        'bad-number,panel,http://127.0.0.1:9/4/api/v2,PANEL_A_KEY,many,0,every night',
        'good-2,panel,http://127.0.0.1:9/5/api/v2,PANEL_A_KEY,,,',
      ],
    );
    const error = configErrorOf(folder.load);
    const lines = error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    expect(error.problems.every((problem) => problem.file === `${folder.dir}/sources.csv`)).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        'row 3, column url: must be an http:// or https:// URL',
        expect.stringMatching(/^row 5, column secret: must name the environment variable/),
        expect.stringMatching(/^row 6, column kind: must be one of: /),
        expect.stringMatching(/^row 7, column stuckAfterDays: must be a whole number/),
        'row 7, column silent_after_days: must be at least 1',
        expect.stringMatching(/^row 7, column schedule: is not a cron expression/),
      ]),
    );
    expect(lines).toHaveLength(6);
    expect(error.message).not.toContain('sk_live_abc-123');
  });

  test('a header without the id and kind columns, and a missing file, are told by the file', () => {
    const headless = fleetFolder(['sources: { file: sources.csv }'], ['name,url', 'x,http://127.0.0.1:9/']);
    expect(configErrorOf(headless.load).message).toContain(
      'sources.csv row 1: the header must name the columns id and kind',
    );
    const missing = fleetFolder(['sources: { file: fleet.csv }'], []);
    expect(configErrorOf(missing.load).message).toContain('fleet.csv: file not found');
  });
});
