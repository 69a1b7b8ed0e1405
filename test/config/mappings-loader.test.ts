import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { accountsUsedByChart, loadMappings, packageMappingsDir } from '../../src/config/index.js';
import { quickbooksMapping, quickbooksMappingOf, xeroMapping, xeroMappingOf } from '../../src/destinations/index.js';
import { chartFileEvents } from '../../src/config/chart-vocabulary.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { configErrorOf, tempFolder } from './temp-folder.js';

const SHIPPED = packageMappingsDir();
const SHIPPED_CHART = join(SHIPPED, 'default.yaml');

/** The journals described in src/ledger/event-kind.ts, written out by hand: [debited, credited]. */
const JOURNALS = {
  publisher_earnings: ['payelancer_receivable', 'ad_revenue'],
  publisher_clawback: ['ad_revenue', 'payelancer_receivable'],
  payout_paypal: ['payout_clearing_paypal', 'payelancer_receivable'],
  payout_razorpay: ['payout_clearing_razorpay', 'payelancer_receivable'],
  payout_wire: ['payout_clearing_wire', 'payelancer_receivable'],
  advertiser_spend: ['advertising_expense', 'payelancer_prepaid'],
  advertiser_credit: ['payelancer_prepaid', 'advertising_expense'],
  order_charge: ['smm_services_expense', 'panel_prepaid'],
  order_refund: ['panel_prepaid', 'smm_services_expense'],
  panel_opening_balance: ['panel_prepaid', 'opening_balance_equity'],
  panel_topup: ['panel_prepaid', 'topup_clearing'],
  panel_unexplained_fall: ['suspense', 'panel_prepaid'],
  panel_fall_explained: ['panel_prepaid', 'suspense'],
  panel_rounding_gain: ['panel_prepaid', 'rounding'],
  panel_rounding_loss: ['rounding', 'panel_prepaid'],
};

/** What the registered kinds book by the chart file's own rules, as a configured command passes it: each must be ruled. */
const chartEvents = chartFileEvents(configKinds().sources);

type Document = Record<string, Record<string, unknown>>;

/** Copies of the shipped mapping files, each edited as a plain object before it is written. */
function editedMappings(edits: {
  chart?: (doc: Document) => void;
  xero?: (doc: Document) => void;
  quickbooks?: (doc: Document) => void;
}) {
  const folder = tempFolder();
  const files = { chart: 'default.yaml', xero: 'xero.yaml', quickbooks: 'quickbooks.yaml' } as const;
  const paths = {} as Record<keyof typeof files, string>;
  for (const [part, name] of Object.entries(files) as [keyof typeof files, string][]) {
    const doc = parse(readFileSync(join(SHIPPED, name), 'utf8')) as Document;
    edits[part]?.(doc);
    paths[part] = folder.write(name, stringify(doc));
  }
  return paths;
}

const atSomeLine = (message: string) =>
  expect.stringMatching(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(line \\d+\\)$`));

describe('the shipped mappings', () => {
  test('load cleanly with both destinations, with a rule for every event kind booking the journals event-kind.ts describes', () => {
    const mappings = loadMappings({
      chartEvents,
      chartPath: SHIPPED_CHART,
      destinations: [xeroMapping, quickbooksMapping],
    });
    expect(Object.keys(mappings.chart.events).sort()).toEqual([...chartEvents.kinds].sort());
    const journals = Object.fromEntries(
      chartEvents.kinds.map((kind) => {
        const rule = mappings.chart.events[kind]!;
        return [
          kind,
          [rule.debit, rule.credit].map((side) => side.map((split) => `${split.account}×${split.share}`).join('+')),
        ];
      }),
    );
    expect(journals).toEqual(
      Object.fromEntries(
        Object.entries(JOURNALS).map(([kind, [debit, credit]]) => [kind, [`${debit}×1`, `${credit}×1`]]),
      ),
    );
    expect(Object.keys(mappings.chart.accounts)).toEqual([
      'panel_prepaid',
      'payelancer_receivable',
      'payelancer_prepaid',
      'payout_clearing_paypal',
      'payout_clearing_razorpay',
      'payout_clearing_wire',
      'topup_clearing',
      'ad_revenue',
      'advertising_expense',
      'smm_services_expense',
      'opening_balance_equity',
      'suspense',
      'rounding',
      'bank_fees',
      'bank',
      'vat_output',
      'vat_input',
    ]);
    expect(mappings.chart.accounts.suspense).toEqual({ type: 'liability', name: 'Suspense (to review)' });
  });

  test('map every account the chart uses in Xero and QuickBooks', () => {
    const mappings = loadMappings({
      chartEvents,
      chartPath: SHIPPED_CHART,
      destinations: [xeroMapping, quickbooksMapping],
    });
    const [xero, quickbooks] = [xeroMappingOf(mappings), quickbooksMappingOf(mappings)];
    const used = [...accountsUsedByChart(mappings.chart.events).keys()];
    expect(used.filter((account) => xero?.accounts[account] === undefined)).toEqual([]);
    expect(used.filter((account) => quickbooks?.accounts[account] === undefined)).toEqual([]);
    expect(xero?.file).toBe(join(SHIPPED, 'xero.yaml'));
    expect(xero?.settings.status).toBe('POSTED');
    expect(xero?.accounts.ad_revenue).toEqual({ code: '210', taxType: 'NONE' });
    expect(quickbooks?.accounts.panel_prepaid).toEqual({ id: '3', name: 'SMM Panel Balance' });
    expect([...mappings.destinations.keys()]).toEqual(['xero', 'quickbooks']);
  });

  test('without a destination, no destination file is read', () => {
    const mappings = loadMappings({ chartEvents, chartPath: SHIPPED_CHART });
    expect(mappings.destinations.size).toBe(0);
    expect(xeroMappingOf(mappings)).toBeUndefined();
  });
});

describe('a chart rule', () => {
  test('split by shares keeps the shares as ratios', () => {
    const { chart } = editedMappings({
      chart: (doc) => {
        doc.events!.order_charge = {
          debit: [
            { account: 'smm_services_expense', share: 3 },
            { account: 'advertising_expense', share: 1 },
          ],
          credit: 'panel_prepaid',
          description: 'Split charges',
        };
      },
    });
    expect(loadMappings({ chartEvents, chartPath: chart }).chart.events.order_charge).toEqual({
      debit: [
        { account: 'smm_services_expense', share: 3n },
        { account: 'advertising_expense', share: 1n },
      ],
      credit: [{ account: 'panel_prepaid', share: 1n }],
      description: 'Split charges',
    });
  });

  test('missing for an event kind is named by the file and the kind', () => {
    const { chart } = editedMappings({ chart: (doc) => void delete doc.events!.payout_wire });
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: chart })).problems).toEqual([
      {
        file: chart,
        path: 'events.payout_wire',
        message: atSomeLine(
          'no journal rule for event kind payout_wire (every kind needs debit, credit and description)',
        ),
      },
    ]);
  });

  test('missing for a kind added since the chart was copied takes the shipped rule, so an upgrade keeps an older chart loading', () => {
    const { chart } = editedMappings({
      chart: (doc) => {
        delete doc.events!.panel_rounding_gain;
        delete doc.events!.panel_rounding_loss;
      },
    });
    const events = loadMappings({ chartEvents, chartPath: chart }).chart.events;
    expect(events.panel_rounding_gain!.debit.map((split) => split.account)).toEqual(['panel_prepaid']);
    expect(events.panel_rounding_gain!.credit.map((split) => split.account)).toEqual(['rounding']);
    expect(events.panel_rounding_loss!.debit.map((split) => split.account)).toEqual(['rounding']);
  });

  test('a kind added since is still named when the chart lacks an account its shipped rule books to', () => {
    const { chart } = editedMappings({
      chart: (doc) => {
        delete doc.events!.panel_rounding_gain;
        doc.accounts!.prepaid_at_panel = doc.accounts!.panel_prepaid;
        delete doc.accounts!.panel_prepaid;
        for (const rule of Object.values(doc.events!) as Record<string, unknown>[]) {
          for (const side of ['debit', 'credit']) if (rule[side] === 'panel_prepaid') rule[side] = 'prepaid_at_panel';
        }
      },
    });
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: chart })).problems).toEqual([
      {
        file: chart,
        path: 'events.panel_rounding_gain',
        message: atSomeLine(
          'no journal rule for event kind panel_rounding_gain (every kind needs debit, credit and description)',
        ),
      },
    ]);
  });

  test('naming an unknown account suggests the account it resembles', () => {
    const { chart } = editedMappings({
      chart: (doc) => {
        (doc.events!.order_charge as Record<string, unknown>).debit = 'smm_service_expense';
        (doc.events!.order_refund as Record<string, unknown>).credit = [
          { account: 'smm_services_expense', share: 1 },
          { account: 'nowhere', share: 1 },
        ];
      },
    });
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: chart })).problems).toEqual([
      {
        file: chart,
        path: 'events.order_charge.debit',
        message: atSomeLine('unknown account "smm_service_expense" (did you mean smm_services_expense?)'),
      },
      { file: chart, path: 'events.order_refund.credit[1].account', message: atSomeLine('unknown account "nowhere"') },
    ]);
  });

  test('a split share that is not positive is refused', () => {
    const { chart } = editedMappings({
      chart: (doc) => {
        (doc.events!.order_charge as Record<string, unknown>).debit = [
          { account: 'smm_services_expense', share: 0 },
          { account: 'advertising_expense', share: -1 },
          { account: 'advertising_expense', share: 0.5 },
        ];
      },
    });
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: chart })).problems).toEqual([
      { file: chart, path: 'events.order_charge.debit[0].share', message: atSomeLine('share must be greater than 0') },
      { file: chart, path: 'events.order_charge.debit[1].share', message: atSomeLine('share must be greater than 0') },
      {
        file: chart,
        path: 'events.order_charge.debit[2].share',
        message: atSomeLine('share must be a whole number (shares are ratios: 3 and 1 split 75 % / 25 %)'),
      },
    ]);
  });

  test('an unknown event kind, an account without a type and a missing rounding account are named', () => {
    const { chart } = editedMappings({
      chart: (doc) => {
        doc.events!.order_chrage = doc.events!.order_charge;
        doc.accounts!.suspense = { name: 'Suspense' };
        delete doc.accounts!.rounding;
      },
    });
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: chart })).problems).toEqual([
      { file: chart, path: 'accounts.suspense.type', message: atSomeLine('is required') },
      {
        file: chart,
        path: 'accounts.rounding',
        message: atSomeLine('is required: cent rounding residue is booked to it'),
      },
      {
        file: chart,
        path: 'events.order_chrage',
        message: atSomeLine('is not an event kind (did you mean order_charge?)'),
      },
      // The panel's sub-micro rounding events book to it as well.
      { file: chart, path: 'events.panel_rounding_gain.credit', message: atSomeLine('unknown account "rounding"') },
      { file: chart, path: 'events.panel_rounding_loss.debit', message: atSomeLine('unknown account "rounding"') },
    ]);
  });
});

describe("a bank-statement source's ledger account", () => {
  test('is the shipped chart\'s asset "bank" by default; one the chart lacks is named with the key to add, one of another type is refused', () => {
    expect(
      loadMappings({
        chartEvents,
        chartPath: SHIPPED_CHART,
        bankAccounts: [{ sourceId: 'operating', account: 'bank' }],
      }).chart.accounts.bank,
    ).toEqual({ type: 'asset', name: 'Bank' });
    const bankAccounts = [
      { sourceId: 'operating', account: 'bank_operatin' },
      { sourceId: 'card', account: 'bank_fees' },
    ];
    const { chart } = editedMappings({
      chart: (doc) => void (doc.accounts!.bank_operating = { type: 'asset', name: 'Operating account' }),
    });
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, bankAccounts })).problems).toEqual([
      {
        file: chart,
        path: 'accounts.bank_operatin',
        message:
          'is not in the chart, and bank-statement source "operating" books its bank legs to it (its ledgerAccount): add "bank_operatin: { type: asset, name: … }" (did you mean bank_operating?)',
      },
      {
        file: chart,
        path: 'accounts.bank_fees',
        message:
          'has type expense, and bank-statement source "card" books its bank legs to it (its ledgerAccount): make it type asset, or name an asset account as its ledgerAccount',
      },
    ]);
  });
});

describe('two bank accounts', () => {
  test("booking to one ledger account are refused, naming both: transit would set each statement beside both accounts' money", () => {
    // main-bank's statement closes at 1,612.01 and lloyds' at 925.00; one `bank` holds 2,537.01, beside either.
    const bankAccounts = [
      { sourceId: 'main-bank', account: 'bank' },
      { sourceId: 'lloyds', account: 'bank' },
    ];
    expect(configErrorOf(() => loadMappings({ chartEvents, chartPath: SHIPPED_CHART, bankAccounts })).problems).toEqual(
      [
        {
          file: SHIPPED_CHART,
          path: 'accounts.bank',
          message:
            'is the ledgerAccount of bank-statement sources "main-bank" and "lloyds": each bank account needs an asset of ' +
            'its own, which its statements\' balances are set beside (in ledgerline.yaml give "lloyds" ledgerAccount: ' +
            'bank_lloyds, and add "bank_lloyds: { type: asset, name: … }" to the chart)',
        },
      ],
    );
  });
});

describe('a destination mapping', () => {
  test('that leaves out an account the chart uses is refused only when posting or exporting there', () => {
    const { chart, xero } = editedMappings({ xero: (doc) => void delete doc.accounts!.rounding });
    expect(
      quickbooksMappingOf(loadMappings({ chartEvents, chartPath: chart, destinations: [quickbooksMapping] })),
    ).toBeDefined();
    expect(
      configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, destinations: [xeroMapping] })).problems,
    ).toEqual([
      {
        file: xero,
        path: 'accounts.rounding',
        message: atSomeLine(
          'has no Xero mapping, and the chart books to it (cent rounding, panel_rounding_gain, panel_rounding_loss)',
        ),
      },
    ]);
  });

  test('a chart account re-mapped to a new key must be mapped too', () => {
    const { chart, quickbooks } = editedMappings({
      chart: (doc) => {
        doc.accounts!.panel_fees = { type: 'expense', name: 'Panel fees' };
        (doc.events!.order_charge as Record<string, unknown>).debit = 'panel_fees';
      },
    });
    expect(
      configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, destinations: [quickbooksMapping] })).problems,
    ).toEqual([
      {
        file: quickbooks,
        path: 'accounts.panel_fees',
        message: atSomeLine('has no QuickBooks mapping, and the chart books to it (order_charge)'),
      },
    ]);
  });

  test('a QuickBooks class and location load by name or as { id, name }, the form the API payload needs', () => {
    const { chart } = editedMappings({
      quickbooks: (doc) => {
        doc.accounts!.ad_revenue = {
          id: '1',
          name: 'Ad Revenue',
          class: { id: '5000000000000012', name: 'Payelancer' },
          location: 'Remote',
        };
      },
    });
    expect(
      quickbooksMappingOf(loadMappings({ chartEvents, chartPath: chart, destinations: [quickbooksMapping] }))?.accounts
        .ad_revenue,
    ).toEqual({
      id: '1',
      name: 'Ad Revenue',
      class: { id: '5000000000000012', name: 'Payelancer' },
      location: 'Remote',
    });
  });

  test('a QuickBooks customer or vendor loads by name or as { id, name }, and one line cannot name both', () => {
    const { chart, quickbooks } = editedMappings({
      quickbooks: (doc) => {
        doc.accounts!.payelancer_receivable = { id: '2', name: 'Payelancer Receivable', customer: 'Payelancer' };
        doc.accounts!.suspense = {
          id: '13',
          name: 'Suspense',
          customer: 'Payelancer',
          vendor: { id: '7', name: 'Panel Ltd' },
        };
      },
    });
    expect(
      configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, destinations: [quickbooksMapping] })).problems,
    ).toEqual([
      {
        file: quickbooks,
        path: 'accounts.suspense.vendor',
        message: atSomeLine('a journal line names one customer or one vendor, not both'),
      },
    ]);
  });

  test('Xero allows at most 2 tracking categories, and unknown keys are suggested', () => {
    const { chart, xero } = editedMappings({
      xero: (doc) => {
        doc.accounts!.ad_revenue = {
          code: '200',
          tracking: [
            { name: 'Channel', option: 'Ads' },
            { name: 'Region', option: 'EU' },
            { name: 'Team', option: 'Growth' },
          ],
        };
        doc.accounts!.smm_service_expense = { code: '402' };
      },
    });
    expect(
      configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, destinations: [xeroMapping] })).problems,
    ).toEqual([
      {
        file: xero,
        path: 'accounts.ad_revenue.tracking',
        message: atSomeLine('Xero allows at most 2 tracking categories on a journal line'),
      },
      {
        file: xero,
        path: 'accounts.smm_service_expense',
        message: atSomeLine('is not an account in default.yaml (did you mean smm_services_expense?)'),
      },
    ]);
  });

  test('account codes are read as text, so an unquoted 0200 keeps its leading zero', () => {
    const folder = tempFolder();
    const chart = folder.write('default.yaml', readFileSync(SHIPPED_CHART, 'utf8'));
    folder.write('xero.yaml', readFileSync(join(SHIPPED, 'xero.yaml'), 'utf8').replace('code: "210"', 'code: 0200'));
    expect(
      xeroMappingOf(loadMappings({ chartEvents, chartPath: chart, destinations: [xeroMapping] }))?.accounts.ad_revenue
        ?.code,
    ).toBe('0200');
  });
});

describe("xero.yaml's tax section (issue 54)", () => {
  test('a flow takes a code or dated rules, read as text; a file without one has no tax section', () => {
    const { chart } = editedMappings({
      xero: (doc) => {
        doc.tax = {
          publisher_earnings: 'ZERORATEDOUTPUT',
          order_charge: [{ code: 'REVERSECHARGES' }, { code: 'INPUT2', from: '2026-03-15' }],
        };
      },
    });
    expect(
      xeroMappingOf(loadMappings({ chartEvents, chartPath: chart, destinations: [xeroMapping] }))?.settings.tax,
    ).toEqual({
      publisher_earnings: [{ code: 'ZERORATEDOUTPUT' }],
      order_charge: [{ code: 'REVERSECHARGES' }, { code: 'INPUT2', from: '2026-03-15' }],
    });
    expect(
      xeroMappingOf(loadMappings({ chartEvents, chartPath: SHIPPED_CHART, destinations: [xeroMapping] }))?.settings.tax,
    ).toBeUndefined();
  });

  test('an unknown flow, a bad date and two rules from the same date are refused at their key paths', () => {
    const { chart, xero } = editedMappings({
      xero: (doc) => {
        doc.tax = {
          order_charges: 'INPUT2',
          order_refund: [{ code: 'INPUT2', from: '2026-02-30' }],
          order_charge: [{ code: 'INPUT2' }, { code: 'REVERSECHARGES' }],
        };
      },
    });
    const paths = configErrorOf(() =>
      loadMappings({ chartEvents, chartPath: chart, destinations: [xeroMapping] }),
    ).problems.map((problem) => `${problem.file === xero ? 'xero.yaml' : problem.file} ${problem.path}`);
    expect(paths.sort()).toEqual([
      'xero.yaml tax.order_charge[1]',
      'xero.yaml tax.order_charges',
      'xero.yaml tax.order_refund[0].from',
    ]);
  });
});

describe('every mapping problem is reported at once', () => {
  test('problems in the chart and in the destination file come in one error', () => {
    const { chart, xero } = editedMappings({
      chart: (doc) => void delete doc.events!.panel_topup,
      xero: (doc) => {
        doc.accounts!.suspense = { code: '85000000000' };
      },
    });
    const error = configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, destinations: [xeroMapping] }));
    expect(error.problems).toEqual([
      {
        file: chart,
        path: 'events.panel_topup',
        message: atSomeLine(
          'no journal rule for event kind panel_topup (every kind needs debit, credit and description)',
        ),
      },
      {
        file: xero,
        path: 'accounts.suspense.code',
        message: atSomeLine('must be at most 10 characters (the length of a Xero account code)'),
      },
    ]);
    expect(error.message).toMatch(/^configuration has 2 problems:/);
  });

  test('a YAML syntax error names the file and the line', () => {
    const folder = tempFolder();
    const chart = folder.write('default.yaml', 'accounts:\n  rounding: { type: expense, name: Rounding\nevents: {}\n');
    const problems = configErrorOf(() => loadMappings({ chartEvents, chartPath: chart })).problems;
    expect(problems[0]).toEqual({
      file: chart,
      path: '',
      message: expect.stringMatching(/^YAML syntax: .* at line \d+, column \d+$/),
    });
  });

  test('a missing destination file is named', () => {
    const folder = tempFolder();
    const chart = folder.write('default.yaml', readFileSync(SHIPPED_CHART, 'utf8'));
    expect(
      configErrorOf(() => loadMappings({ chartEvents, chartPath: chart, destinations: [quickbooksMapping] })).problems,
    ).toEqual([{ file: join(folder.dir, 'quickbooks.yaml'), path: '', message: 'file not found' }]);
  });
});
