import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { configSecrets, describePostgresUrl, findConfigFile, loadConfig } from '../../src/config/index.js';
import { configErrorOf, tempFolder } from './temp-folder.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { asPayelancerSource } from '../../src/kinds/payelancer/payelancer-config.js';

const BASE = [
  'ledger: ./data/ledger.sqlite', // 1
  'timezone: UTC', // 2
  'currency: USD', // 3
  'payouts: { minimum: "50.00", method: paypal, schedule: month-end }', // 4
  'sources:', // 5
  '  - id: ads-publisher', // 6
  '    kind: payelancer', // 7
  '    baseUrl: http://127.0.0.1:9/payelancer', // 8
  '    apiKey: ${PAYELANCER_KEY}', // 9
  '  - id: smm-panel', // 10
  '    kind: panel', // 11
  '    url: http://127.0.0.1:9/panel/api/v2', // 12
  '    apiKey: ${PANEL_KEY}', // 13
  'destinations:', // 14
  '  xero:', // 15
  '    tenantId: ${XERO_TENANT_ID}', // 16
  '    clientId: ${XERO_CLIENT_ID}', // 17
  '    clientSecret: ${XERO_CLIENT_SECRET}', // 18
  '  quickbooks:', // 19
  '    realmId: ${QBO_REALM_ID}', // 20
  '    clientId: ${QBO_CLIENT_ID}', // 21
  '    clientSecret: ${QBO_CLIENT_SECRET}', // 22
  '    refreshToken: ${QBO_REFRESH_TOKEN}', // 23
];

const ENV = {
  PAYELANCER_KEY: 'pk_test_payelancer_0001',
  PANEL_KEY: 'panel_test_key_0002',
  XERO_TENANT_ID: 'tenant-0003',
  XERO_CLIENT_ID: 'xero-client-0004',
  XERO_CLIENT_SECRET: 'xero_secret_0005',
  QBO_REALM_ID: '9130350000006',
  QBO_CLIENT_ID: 'qbo-client-0007',
  QBO_CLIENT_SECRET: 'qbo_secret_0008',
  QBO_REFRESH_TOKEN: 'qbo_refresh_0009',
};

function withoutVariable<K extends keyof typeof ENV>(name: K): Omit<typeof ENV, K> {
  const { [name]: _left, ...rest } = ENV;
  return rest;
}

function configFolder(lines: readonly string[] = BASE) {
  const folder = tempFolder();
  const file = folder.write('ledgerline.yaml', `${lines.join('\n')}\n`);
  return { ...folder, file };
}

describe('where the configuration is looked for', () => {
  function threeConfigs() {
    const folder = tempFolder();
    const text = (currency: string) => `ledger: ./l.sqlite\ntimezone: UTC\ncurrency: ${currency}\n`;
    folder.write('ledgerline.yaml', text('USD'));
    folder.write('from-env.yaml', text('EUR'));
    folder.write('flags/from-flag.yaml', text('GBP'));
    return folder;
  }

  test('--config wins over LEDGERLINE_CONFIG and ./ledgerline.yaml, and is relative to the working directory', () => {
    const folder = threeConfigs();
    const config = loadConfig({
      kinds: configKinds(),
      path: 'flags/from-flag.yaml',
      env: { LEDGERLINE_CONFIG: 'from-env.yaml' },
      cwd: folder.dir,
    });
    expect(config.currency).toBe('GBP');
    expect(config.file).toBe(join(folder.dir, 'flags/from-flag.yaml'));
  });

  test('LEDGERLINE_CONFIG wins over ./ledgerline.yaml', () => {
    const folder = threeConfigs();
    expect(
      loadConfig({ kinds: configKinds(), env: { LEDGERLINE_CONFIG: 'from-env.yaml' }, cwd: folder.dir }).currency,
    ).toBe('EUR');
  });

  test('./ledgerline.yaml is read when neither is given', () => {
    const folder = threeConfigs();
    expect(findConfigFile({ env: {}, cwd: folder.dir })).toEqual({
      file: join(folder.dir, 'ledgerline.yaml'),
      origin: 'default',
    });
    expect(loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir }).currency).toBe('USD');
  });

  test('a missing file is named, with how it was looked for', () => {
    const folder = tempFolder();
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir })).problems).toEqual([
      {
        file: join(folder.dir, 'ledgerline.yaml'),
        path: '',
        message:
          'file not found (no --config given and LEDGERLINE_CONFIG not set, so ./ledgerline.yaml was expected; `ledgerline init` writes one)',
      },
    ]);
    expect(
      configErrorOf(() =>
        loadConfig({ kinds: configKinds(), env: { LEDGERLINE_CONFIG: '/nowhere/l.yaml' }, cwd: folder.dir }),
      ).problems,
    ).toEqual([{ file: '/nowhere/l.yaml', path: '', message: 'file not found (named by LEDGERLINE_CONFIG)' }]);
    expect(
      configErrorOf(() => loadConfig({ kinds: configKinds(), path: 'x.yaml', env: {}, cwd: folder.dir })).problems,
    ).toEqual([{ file: join(folder.dir, 'x.yaml'), path: '', message: 'file not found (given with --config)' }]);
  });
});

describe('paths inside the file', () => {
  test('relative paths are relative to the folder of the file, not the working directory', () => {
    const folder = tempFolder();
    const file = folder.write(
      'conf/ledgerline.yaml',
      [
        'ledger: ./data/ledger.sqlite',
        'timezone: UTC',
        'currency: USD',
        'mappings: ./my-mappings',
        'sources:',
        '  - { id: smm-panel, kind: panel, url: "http://127.0.0.1:9/api/v2", apiKey: "${PANEL_KEY}", ordersFile: ../orders.csv }',
      ].join('\n'),
    );
    const config = loadConfig({ kinds: configKinds(), path: file, env: {}, cwd: '/' });
    expect(config.ledger).toBe(join(folder.dir, 'conf/data/ledger.sqlite'));
    expect(config.mappings).toBe(join(folder.dir, 'conf/my-mappings/default.yaml'));
    expect(config.sources[0]).toMatchObject({ ordersFile: join(folder.dir, 'orders.csv') });
    expect(config.tokenStore).toBe(join(folder.dir, 'conf/data/.ledgerline-tokens.json'));
  });

  test('absolute paths are kept, a chart file is taken as named, and an explicit token store is used', () => {
    const folder = configFolder([
      'ledger: /var/lib/ledgerline/ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      'mappings: ./charts/mine.yaml',
      'tokenStore: ./secrets/tokens.json',
    ]);
    const config = loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir });
    expect(config.ledger).toBe('/var/lib/ledgerline/ledger.sqlite');
    expect(config.mappings).toBe(join(folder.dir, 'charts/mine.yaml'));
    expect(config.tokenStore).toBe(join(folder.dir, 'secrets/tokens.json'));
  });

  test('without mappings: the chart shipped with the package is used', () => {
    const folder = configFolder(BASE.slice(0, 3));
    const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
    expect(loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir }).mappings).toBe(
      join(repoRoot, 'mappings/default.yaml'),
    );
  });
});

describe('${VAR} interpolation', () => {
  test('variables are substituted inside text, and a whole-number field takes a number from a variable', () => {
    const folder = configFolder([
      ...BASE.slice(0, 5),
      '  - { id: smm-panel, kind: panel, url: "http://${PANEL_HOST}:${PANEL_PORT}/api/v2", apiKey: "${PANEL_KEY}" }',
      'webhooks: { port: "${WEBHOOK_PORT}", secret: "${WEBHOOK_SECRET}" }',
    ]);
    const config = loadConfig({
      kinds: configKinds(),
      env: {
        PANEL_HOST: '127.0.0.1',
        PANEL_PORT: '8787',
        PANEL_KEY: 'panel-key-1',
        WEBHOOK_PORT: '9100',
        WEBHOOK_SECRET: 'a-long-webhook-secret-1',
      },
      cwd: folder.dir,
      need: { sources: 'all', webhooks: true },
    });
    expect(config.sources[0]).toEqual({
      id: 'smm-panel',
      kind: 'panel',
      url: 'http://127.0.0.1:8787/api/v2',
      apiKey: 'panel-key-1',
      unknownOrderRetentionDays: 7,
      stuckAfterDays: 30,
      // Beside the ledger (./data/ledger.sqlite in BASE).
      proxySpool: join(folder.dir, 'data', 'smm-panel.proxy-spool.jsonl'),
      bankWords: 'SMMPANEL|127\\.0\\.0\\.1',
    });
    expect(config.webhooks).toEqual({
      port: 9100,
      secret: 'a-long-webhook-secret-1',
      mode: 'path-token',
      maxBodyBytes: 65536,
    });
    expect(config.unresolved).toEqual([]);
  });

  test('a variable set but empty is reported as empty', () => {
    const folder = configFolder();
    expect(
      configErrorOf(() =>
        loadConfig({
          kinds: configKinds(),
          env: { ...ENV, PANEL_KEY: '' },
          cwd: folder.dir,
          need: { sources: ['smm-panel'] },
        }),
      ).problems,
    ).toEqual([{ file: folder.file, path: 'sources[1].apiKey', message: 'PANEL_KEY is set but empty (line 13)' }]);
  });

  test('a "${" that is not a reference is a problem wherever it is', () => {
    const folder = configFolder([...BASE.slice(0, 3), 'tokenStore: "./${TOKENS DIR}/t.json"']);
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir })).problems).toEqual([
      {
        file: folder.file,
        path: 'tokenStore',
        message: 'has a "${" that is not a ${NAME} reference (a name is letters, digits and _) (line 4)',
      },
    ]);
  });
});

describe('each command resolves only the variables of the parts it uses', () => {
  test('export with PANEL_KEY unset loads, and the reference stays unresolved and listed', () => {
    const folder = configFolder();
    const config = loadConfig({ kinds: configKinds(), env: withoutVariable('PANEL_KEY'), cwd: folder.dir });
    expect(config.sources[1]).toMatchObject({ id: 'smm-panel', apiKey: '${PANEL_KEY}' });
    expect(config.unresolved).toEqual([{ path: 'sources[1].apiKey', variables: ['PANEL_KEY'] }]);
  });

  test('sync of that source is refused, naming the file, the key and the variable', () => {
    const folder = configFolder();
    const error = configErrorOf(() =>
      loadConfig({
        kinds: configKinds(),
        env: withoutVariable('PANEL_KEY'),
        cwd: folder.dir,
        need: { sources: ['smm-panel'] },
      }),
    );
    expect(error.problems).toEqual([
      { file: folder.file, path: 'sources[1].apiKey', message: 'PANEL_KEY is not set (line 13)' },
    ]);
    expect(error.message).toBe(
      `configuration error: ${folder.file} at sources[1].apiKey: PANEL_KEY is not set (line 13)`,
    );
  });

  test('sync of the other source does not need PANEL_KEY; a plain sync does', () => {
    const folder = configFolder();
    const env = withoutVariable('PANEL_KEY');
    expect(
      loadConfig({ kinds: configKinds(), env, cwd: folder.dir, need: { sources: ['ads-publisher'] } }).sources[0],
    ).toMatchObject({ apiKey: ENV.PAYELANCER_KEY });
    expect(
      configErrorOf(() =>
        loadConfig({ kinds: configKinds(), env, cwd: folder.dir, need: { sources: 'all' } }),
      ).problems.map((p) => p.message),
    ).toEqual(['PANEL_KEY is not set (line 13)']);
  });

  test("post --to xero needs Xero's variables and not QuickBooks's", () => {
    const folder = configFolder();
    const env = { XERO_TENANT_ID: 't-1', XERO_CLIENT_ID: 'c-1', XERO_CLIENT_SECRET: 'xero_secret_0005' };
    expect(
      loadConfig({ kinds: configKinds(), env, cwd: folder.dir, need: { destinations: ['xero'] } }).destinations.xero,
    ).toEqual({
      tenantId: 't-1',
      clientId: 'c-1',
      clientSecret: 'xero_secret_0005',
    });
    expect(
      configErrorOf(() =>
        loadConfig({ kinds: configKinds(), env, cwd: folder.dir, need: { destinations: ['quickbooks'] } }),
      ).problems.map((p) => p.path),
    ).toEqual([
      'destinations.quickbooks.realmId',
      'destinations.quickbooks.clientId',
      'destinations.quickbooks.clientSecret',
      'destinations.quickbooks.refreshToken',
    ]);
  });

  test('a command needing a source or destination the file does not have is told which', () => {
    const folder = configFolder([...BASE.slice(0, 13), 'destinations: {}']);
    expect(
      configErrorOf(() =>
        loadConfig({
          kinds: configKinds(),
          env: ENV,
          cwd: folder.dir,
          need: { sources: ['smm-panle'], destinations: ['xero'] },
        }),
      ).problems,
    ).toEqual([
      {
        file: folder.file,
        path: 'sources',
        message: 'no source has id "smm-panle" (did you mean smm-panel?) (line 6)',
      },
      {
        file: folder.file,
        path: 'destinations.xero',
        message: 'is not configured, and this command needs it (line 14)',
      },
    ]);
  });

  test('schedule needs every source, its schedule, and the destinations it posts to', () => {
    const folder = configFolder([...BASE, 'schedule: { cron: "30 2 * * *", post: [quickbooks] }']);
    const problems = configErrorOf(() =>
      loadConfig({
        kinds: configKinds(),
        env: withoutVariable('QBO_REFRESH_TOKEN'),
        cwd: folder.dir,
        need: { schedule: true },
      }),
    ).problems;
    expect(problems).toEqual([
      {
        file: folder.file,
        path: 'destinations.quickbooks.refreshToken',
        message: 'QBO_REFRESH_TOKEN is not set (line 23)',
      },
    ]);
    const config = loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir, need: { schedule: true } });
    expect(config.schedule).toEqual({ cron: '30 2 * * *', timezone: 'UTC', post: ['quickbooks'] });
  });

  test('a command that only reads the books takes the cron expressions as written; every other load checks them', () => {
    const folder = configFolder([
      ...BASE.slice(0, 9),
      '    schedule: every night', // 10
      ...BASE.slice(9),
      'schedule: { cron: "at half past two" }', // 25
    ]);
    const load = (need: { onlyReads?: boolean; schedule?: boolean }) =>
      loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir, need });
    const refused = [
      { file: folder.file, path: 'sources[0].schedule', message: expect.stringMatching(/^is not a cron expression/) },
      { file: folder.file, path: 'schedule.cron', message: expect.stringMatching(/^is not a cron expression/) },
    ];
    expect(configErrorOf(() => load({})).problems).toEqual(refused);
    expect(configErrorOf(() => load({ onlyReads: true, schedule: true })).problems).toEqual(refused);
    const read = load({ onlyReads: true });
    expect(read.schedule?.cron).toBe('at half past two');
    expect(read.sources[0]?.schedule).toBe('every night');
  });

  test('a queued schedule starts its night at second 0: a later second would span two clock minutes and be sent twice', () => {
    const queued = (cron: string) =>
      configFolder([
        ...BASE.map((line) =>
          line.startsWith('ledger:') ? 'ledger: postgres://ledgerline@127.0.0.1:5432/books' : line,
        ),
        `schedule: { cron: "${cron}", queue: true }`,
      ]);
    const folder = queued('15 30 2 * * *');
    expect(
      configErrorOf(() => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir, need: { schedule: true } }))
        .problems,
    ).toEqual([
      {
        file: folder.file,
        path: 'schedule.cron',
        message:
          '"15 30 2 * * *" starts the night at second 15: with schedule.queue a night starts at second 0 of its minute (the queue sends a due night once per clock minute, and a time past :00 spans two, so the night would run twice): write "30 2 * * *" (line 24)',
      },
    ]);
    for (const cron of ['30 2 * * *', '0 30 2 * * *']) {
      expect(
        loadConfig({ kinds: configKinds(), env: ENV, cwd: queued(cron).dir, need: { schedule: true } }).schedule,
      ).toMatchObject({ cron, queue: true });
    }
    // Without the queue, node-cron starts the night once at any second.
    const local = configFolder([...BASE, 'schedule: { cron: "15 30 2 * * *" }']);
    expect(
      loadConfig({ kinds: configKinds(), env: ENV, cwd: local.dir, need: { schedule: true } }).schedule,
    ).toMatchObject({ cron: '15 30 2 * * *' });
  });

  test('a number or choice from an unset variable is needed even by commands that do not use its part', () => {
    const folder = configFolder([...BASE, 'webhooks: { port: "${WEBHOOK_PORT}", secret: "${WEBHOOK_SECRET}" }']);
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir })).problems).toEqual([
      { file: folder.file, path: 'webhooks.port', message: 'WEBHOOK_PORT is not set (line 24)' },
    ]);
  });

  test('the webhooks command needs a webhooks section', () => {
    const folder = configFolder();
    expect(
      configErrorOf(() => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir, need: { webhooks: true } }))
        .problems,
    ).toEqual([
      {
        file: folder.file,
        path: 'webhooks',
        message: 'is not configured, and this command needs it (at least a secret) (line 1)',
      },
    ]);
  });
});

describe('problems are all reported at once, each with file, key and what is wrong', () => {
  test('a typo, a bad value, a bad URL and a missing variable come in one error', () => {
    const folder = configFolder([
      'ledger: ./l.sqlite',
      'timezone: UTC',
      'currency: usd',
      'granularty: event',
      'sources:',
      '  - id: smm-panel',
      '    kind: panel',
      '    url: panel.example.com/api/v2',
      '    apiKey: ${PANEL_KEY}',
    ]);
    const error = configErrorOf(() =>
      loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir, need: { sources: 'all' } }),
    );
    expect(error.problems).toEqual([
      { file: folder.file, path: 'sources[0].apiKey', message: 'PANEL_KEY is not set (line 9)' },
      {
        file: folder.file,
        path: 'currency',
        message: 'must be a three-letter currency code in capitals, such as USD (line 3)',
      },
      { file: folder.file, path: 'sources[0].url', message: 'must be an http:// or https:// URL (line 8)' },
      { file: folder.file, path: 'granularty', message: 'unknown key (did you mean granularity?) (line 4)' },
    ]);
    expect(error.message).toBe(
      [
        'configuration has 4 problems:',
        `  - ${folder.file} at sources[0].apiKey: PANEL_KEY is not set (line 9)`,
        `  - ${folder.file} at currency: must be a three-letter currency code in capitals, such as USD (line 3)`,
        `  - ${folder.file} at sources[0].url: must be an http:// or https:// URL (line 8)`,
        `  - ${folder.file} at granularty: unknown key (did you mean granularity?) (line 4)`,
      ].join('\n'),
    );
  });

  test('an unknown key inside a source is suggested from that kind of source', () => {
    const folder = configFolder([...BASE.slice(0, 12), '    apikey: ${PANEL_KEY}', '    ordersfile: ./o.csv']);
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir })).problems).toEqual([
      { file: folder.file, path: 'sources[1].apiKey', message: 'is required (line 10)' },
      { file: folder.file, path: 'sources[1].apikey', message: 'unknown key (did you mean apiKey?) (line 13)' },
      { file: folder.file, path: 'sources[1].ordersfile', message: 'unknown key (did you mean ordersFile?) (line 14)' },
    ]);
  });

  test('a YAML syntax error names the file and the line', () => {
    const folder = configFolder(['ledger: ./l.sqlite', 'timezone: UTC', 'currency: [USD', 'sources: []']);
    const problems = configErrorOf(() => loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir })).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.file).toBe(folder.file);
      expect(problem.message).toMatch(/^YAML syntax: .* at line \d+, column \d+$/);
    }
    expect(problems[0]?.message).toMatch(/at line 4, column/);
  });

  test('a postgres ledger URL is kept as written and classified, its password is a secret, and the tokens sit beside the file', () => {
    const folder = configFolder([
      'ledger: postgres://ledger:${LEDGER_DB_PASSWORD}@db.internal:6432/books',
      'timezone: UTC',
      'currency: USD',
    ]);
    const config = loadConfig({ kinds: configKinds(), env: { LEDGER_DB_PASSWORD: 's3cret%2Fpw' }, cwd: folder.dir });
    expect(config.ledgerEngine).toBe('postgres');
    expect(config.ledger).toBe('postgres://ledger:s3cret%2Fpw@db.internal:6432/books');
    expect(config.tokenStore).toBe(join(folder.dir, '.ledgerline-tokens.json'));
    expect(configSecrets(config)).toContain('s3cret/pw');
    expect(describePostgresUrl(config.ledger)).toBe('ledger@db.internal:6432/books');
  });

  test('a SQLite path is classified as such, and a URL of another kind is refused rather than taken for a file', () => {
    expect(
      loadConfig({
        kinds: configKinds(),
        env: {},
        cwd: configFolder(['ledger: ./l.sqlite', 'timezone: UTC', 'currency: USD']).dir,
      }).ledgerEngine,
    ).toBe('sqlite');
    const folder = configFolder(['ledger: mysql://db.internal/books', 'timezone: UTC', 'currency: USD']);
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir })).problems).toEqual([
      {
        file: folder.file,
        path: 'ledger',
        message: 'must be the path of a SQLite file or a postgres://user@host:port/database URL (line 1)',
      },
    ]);
    const unencoded = configFolder([
      'ledger: postgres://ledger:${PW}@db.internal/books',
      'timezone: UTC',
      'currency: USD',
    ]);
    const [problem] = configErrorOf(() =>
      loadConfig({ kinds: configKinds(), env: { PW: 'a/b@c' }, cwd: unencoded.dir }),
    ).problems;
    expect(problem?.message).toMatch(/^is not a readable postgres:\/\/user@host:port\/database URL \(a password with/);
    expect(problem?.message).not.toContain('a/b@c');
  });

  test('missing required keys, an unknown source kind, a bad time zone and a bad schedule are each named', () => {
    const folder = configFolder([
      'timezone: Europe/Londn',
      'sources:',
      '  - { id: x, kind: smm }',
      'schedule: { cron: "every night", timezone: Mars/Olympus }',
      'payouts: { method: cheque, schedule: 32, minimum: "fifty" }',
    ]);
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir })).problems).toEqual([
      { file: folder.file, path: 'ledger', message: 'is required (line 1)' },
      {
        file: folder.file,
        path: 'timezone',
        message: 'is not an IANA time zone name such as UTC or Europe/London (did you mean Europe/London?) (line 1)',
      },
      { file: folder.file, path: 'currency', message: 'is required (line 1)' },
      {
        file: folder.file,
        path: 'sources[0].kind',
        message: 'must be one of: payelancer, panel, bank-statement (line 3)',
      },
      { file: folder.file, path: 'payouts.minimum', message: 'must be a decimal amount such as "50.00" (line 5)' },
      { file: folder.file, path: 'payouts.method', message: 'must be one of: paypal, razorpay, wire (line 5)' },
      {
        file: folder.file,
        path: 'payouts.schedule',
        message: 'must be "month-end", a day of the month (1–31) or a list of dates written YYYY-MM-DD (line 5)',
      },
      {
        file: folder.file,
        path: 'schedule.cron',
        message: 'is not a cron expression (minute hour day month weekday, e.g. "30 2 * * *") (line 4)',
      },
      {
        file: folder.file,
        path: 'schedule.timezone',
        message: 'is not an IANA time zone name such as UTC or Europe/London (line 4)',
      },
    ]);
  });

  test('source ids are unique and a payelancer source needs a payout method from somewhere', () => {
    const folder = configFolder([
      ...BASE.slice(0, 3),
      ...BASE.slice(4, 13),
      '  - { id: smm-panel, kind: payelancer, baseUrl: "http://127.0.0.1:9", apiKey: "${PANEL_KEY}", payouts: { method: wire } }',
    ]);
    expect(configErrorOf(() => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir })).problems).toEqual([
      { file: folder.file, path: 'sources[2].id', message: 'id "smm-panel" is already used by sources[1] (line 13)' },
      {
        file: folder.file,
        path: 'sources[0].payouts.method',
        message:
          'no payout method: set payouts.method (paypal, razorpay, wire) on this source or at the top level (line 5)',
      },
    ]);
  });
});

describe('payouts', () => {
  test("a source's own payout settings win field by field; the rest come from the top level and the defaults", () => {
    const folder = configFolder([
      'ledger: ./l.sqlite',
      'timezone: UTC',
      'currency: USD',
      'payouts: { method: paypal, schedule: 15 }',
      'sources:',
      '  - { id: a, kind: payelancer, baseUrl: "http://127.0.0.1:9/", apiKey: "${PAYELANCER_KEY}" }',
      '  - { id: b, kind: payelancer, baseUrl: "http://127.0.0.1:9", apiKey: "${PAYELANCER_KEY}", payouts: { method: wire, minimum: 100 } }',
      '  - { id: c, kind: payelancer, baseUrl: "http://127.0.0.1:9", apiKey: "${PAYELANCER_KEY}", payouts: { schedule: [2026-06-30, 2026-03-31, 2026-03-31] } }',
    ]);
    const config = loadConfig({
      kinds: configKinds(),
      env: { PAYELANCER_KEY: 'k-aaaaaa' },
      cwd: folder.dir,
      need: { sources: 'all' },
    });
    expect(config.sources.map((source) => asPayelancerSource(source).payouts)).toEqual([
      { minimumMicros: 50_000_000n, method: 'paypal', schedule: { kind: 'day-of-month', day: 15 } },
      { minimumMicros: 100_000_000n, method: 'wire', schedule: { kind: 'day-of-month', day: 15 } },
      {
        minimumMicros: 50_000_000n,
        method: 'paypal',
        schedule: { kind: 'dates', dates: ['2026-03-31', '2026-06-30'] },
      },
    ]);
    expect(config.sources[0]).toMatchObject({ baseUrl: 'http://127.0.0.1:9' });
  });

  test('defaults: minimum 50.00 and month-end', () => {
    const folder = configFolder([...BASE.slice(0, 3), 'payouts: { method: razorpay }', ...BASE.slice(4, 9)]);
    expect(loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir }).sources[0]).toMatchObject({
      payouts: { minimumMicros: 50_000_000n, method: 'razorpay', schedule: { kind: 'month-end' } },
    });
  });
});

describe('secrets never appear in error messages', () => {
  const SECRET = 'sk_live_5f3c9a1e7b2d4c68';

  test('an invalid secret is reported without its value', () => {
    const folder = configFolder([...BASE.slice(0, 12), '    apiKey: "${PANEL_KEY}"']);
    const error = configErrorOf(() =>
      loadConfig({ kinds: configKinds(), env: { ...ENV, PANEL_KEY: `${SECRET} ` }, cwd: folder.dir }),
    );
    expect(error.problems).toEqual([
      {
        file: folder.file,
        path: 'sources[1].apiKey',
        message: 'must be one line without spaces at either end (check how it was copied) (line 13)',
      },
    ]);
    expect(error.message).not.toContain(SECRET);
  });

  test('a secret of the wrong shape, or under a misspelt key, is not quoted', () => {
    const folder = configFolder([
      ...BASE.slice(0, 17),
      `    clientSecret: [${SECRET}]`,
      `    client_secret: ${SECRET}`,
      'webhooks: { secret: "${WEBHOOK_SECRET}" }',
    ]);
    const error = configErrorOf(() =>
      loadConfig({
        kinds: configKinds(),
        env: { ...ENV, WEBHOOK_SECRET: 'short-secret' },
        cwd: folder.dir,
        need: { webhooks: true },
      }),
    );
    expect(error.problems.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: 'destinations.xero.clientSecret', message: 'must be text (line 18)' },
      { path: 'destinations.xero.client_secret', message: 'unknown key (did you mean clientSecret?) (line 19)' },
      {
        path: 'webhooks.secret',
        message: 'must be at least 16 characters: it is all that keeps strangers from writing to the ledger (line 20)',
      },
    ]);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('short-secret');
  });

  test('a YAML syntax error on the line of a secret does not quote the line', () => {
    const folder = configFolder([...BASE.slice(0, 12), `    apiKey: ${SECRET}: [`]);
    const error = configErrorOf(() => loadConfig({ kinds: configKinds(), env: ENV, cwd: folder.dir }));
    expect(error.problems[0]?.message).toMatch(/^YAML syntax: .* at line 13, column \d+$/);
    expect(error.message).not.toContain(SECRET);
  });

  test('a message that would quote a secret has it redacted', () => {
    const folder = configFolder();
    const env = { ...ENV, PANEL_KEY: SECRET };
    const error = configErrorOf(() =>
      loadConfig({ kinds: configKinds(), env, cwd: folder.dir, need: { sources: [SECRET] } }),
    );
    expect(error.problems).toEqual([
      { file: folder.file, path: 'sources', message: 'no source has id "[redacted]" (line 6)' },
    ]);
  });
});
