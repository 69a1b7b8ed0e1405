import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { areaOf, files, root, type SourceFile, violations } from './source-tree.js';

/** Who may import whom: the may-import table, quoted by docs/architecture.md, and the rules beside it. */

/** Sources, destinations and the kinds talk to the outside world; what they keep goes through a port the pipeline implements over the store and passes in. */
const STORE_FREE_AREAS = ['sources', 'destinations'];

/** A kind's own books: its port and repositories, written over the store's handle, which they import from the store's index alone. */
const KIND_BOOKS = /^kinds\/[^/]+\/books\//;

/** Every import of src/store from src/sources, src/destinations or a kind's folder in src/kinds (but its books' of the store's index). */
function storeImportsAtTheEdges(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => STORE_FREE_AREAS.includes(file.area) || file.area.startsWith('kinds/'))
    .flatMap((file) =>
      file.imports
        .filter((target) => areaOf(target) === 'store')
        .filter((target) => !(KIND_BOOKS.test(file.path) && target === 'store/index.js'))
        .map((target) => `${file.path} imports ${target}`),
    );
}

describe("sources, destinations and kinds never import the store, but a kind's books its index", () => {
  it("no file in src/sources, src/destinations or src/kinds imports src/store, but a kind's books/ folder its index.ts", () => {
    expect(files.some((file) => file.area === 'sources')).toBe(true);
    expect(storeImportsAtTheEdges(files)).toEqual([]);
  });

  it('the rule catches a planted import of the store index or a store file', () => {
    const planted: SourceFile[] = [
      {
        path: 'sources/webhooks/planted-inbox.ts',
        area: 'sources',
        text: '',
        imports: ['store/index.js', 'sources/webhooks/interpret-webhook.js'],
      },
      {
        path: 'destinations/planted-outbox.ts',
        area: 'destinations',
        text: '',
        imports: ['store/delivery-outbox.js', 'ledger/index.js'],
      },
      { path: 'kinds/panel/planted-close.ts', area: 'kinds/panel', text: '', imports: ['store/sync-books-store.js'] },
      { path: 'kinds/panel/planted-index.ts', area: 'kinds/panel', text: '', imports: ['store/index.js'] },
      {
        path: 'kinds/panel/books/planted-deep.ts',
        area: 'kinds/panel',
        text: '',
        imports: ['store/ledger-store.js', 'store/index.js'],
      },
      { path: 'kinds/panel/books/allowed.ts', area: 'kinds/panel', text: '', imports: ['store/index.js'] },
      { path: 'pipeline/allowed.ts', area: 'pipeline', text: '', imports: ['store/index.js', 'sources/index.js'] },
      { path: 'cli/commands/allowed.ts', area: 'cli', text: '', imports: ['store/index.js'] },
    ];
    expect(storeImportsAtTheEdges(planted)).toEqual([
      'sources/webhooks/planted-inbox.ts imports store/index.js',
      'destinations/planted-outbox.ts imports store/delivery-outbox.js',
      'kinds/panel/planted-close.ts imports store/sync-books-store.js',
      'kinds/panel/planted-index.ts imports store/index.js',
      'kinds/panel/books/planted-deep.ts imports store/ledger-store.js',
    ]);
  });
});

/** The domain core's only neighbours: the shared leaves, and zod for the shapes of stored state. */
const RULES_MAY_IMPORT = ['rules', 'money', 'calendar', 'errors'];
const RULES_PACKAGES = ['zod'];

/** A kind's pure rules: `src/kinds/<kind>/rules/`, held to the same rule as src/rules. */
const KIND_RULES = /^kinds\/[^/]+\/rules\//;

/** Whether a file is pure domain core: src/rules, or a kind's rules folder. */
function isRules(path: string): boolean {
  return areaOf(path) === 'rules' || KIND_RULES.test(path);
}

/**
 * Every import in src/rules or a kind's rules folder of a module outside the shared leaves (a kind's rules
 * also import their own folder), or of a package other than zod.
 */
function rulesOutsideTheCore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => isRules(file.path))
    .flatMap((file) =>
      file.imports
        .filter((target) =>
          target.endsWith('.js')
            ? !RULES_MAY_IMPORT.includes(areaOf(target)) && !(KIND_RULES.test(target) && areaOf(target) === file.area)
            : !RULES_PACKAGES.includes(target),
        )
        .map((target) => `${file.path} imports ${target}`),
    );
}

/** The nightly close and the replay share rules and small pipeline modules, never each other's files. */
function syncAndBackfillImports(tree: readonly SourceFile[]): string[] {
  const step = (path: string): string | undefined => /^pipeline\/(sync|backfill)\//.exec(path)?.[1];
  return tree.flatMap((file) => {
    const from = step(file.path);
    if (from === undefined) return [];
    return file.imports
      .filter((target) => (step(target) ?? from) !== from)
      .map((target) => `${file.path} imports ${target}`);
  });
}

describe('the domain core and the pipeline steps keep apart', () => {
  it("src/rules and each kind's rules folder import only money, calendar, errors, the rules and zod", () => {
    expect(files.some((file) => file.area === 'rules')).toBe(true);
    expect(files.some((file) => KIND_RULES.test(file.path))).toBe(true);
    expect(rulesOutsideTheCore(files)).toEqual([]);
  });

  it('the rule catches a planted import of config, the ledger or another package', () => {
    const planted: SourceFile[] = [
      { path: 'rules/planted-config.ts', area: 'rules', text: '', imports: ['config/index.js'] },
      {
        path: 'rules/panel/planted-ledger.ts',
        area: 'rules',
        text: '',
        imports: ['ledger/ledger.js', 'money/index.js', 'rules/finding.js', 'errors.js', 'zod'],
      },
      { path: 'rules/planted-package.ts', area: 'rules', text: '', imports: ['kysely'] },
      { path: 'pipeline/allowed.ts', area: 'pipeline', text: '', imports: ['config/index.js'] },
      {
        path: 'kinds/panel/rules/planted-client.ts',
        area: 'kinds/panel',
        text: '',
        imports: ['kinds/panel/panel-client.js', 'kinds/panel/rules/remains.js', 'rules/index.js', 'http/index.js'],
      },
      {
        path: 'kinds/panel/rules/planted-other-kind.ts',
        area: 'kinds/panel',
        text: '',
        imports: ['kinds/payelancer/rules/payouts.js', 'node:fs'],
      },
      { path: 'rules/planted-kind.ts', area: 'rules', text: '', imports: ['kinds/panel/rules/order-ledger-state.js'] },
    ];
    expect(rulesOutsideTheCore(planted)).toEqual([
      'rules/planted-config.ts imports config/index.js',
      'rules/panel/planted-ledger.ts imports ledger/ledger.js',
      'rules/planted-package.ts imports kysely',
      'kinds/panel/rules/planted-client.ts imports kinds/panel/panel-client.js',
      'kinds/panel/rules/planted-client.ts imports http/index.js',
      'kinds/panel/rules/planted-other-kind.ts imports kinds/payelancer/rules/payouts.js',
      'kinds/panel/rules/planted-other-kind.ts imports node:fs',
      'rules/planted-kind.ts imports kinds/panel/rules/order-ledger-state.js',
    ]);
  });

  it('pipeline/sync and pipeline/backfill do not import each other', () => {
    expect(syncAndBackfillImports(files)).toEqual([]);
  });

  it('the rule catches a planted import either way', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/backfill/planted.ts',
        area: 'pipeline',
        text: '',
        imports: ['pipeline/sync/panel-close.js', 'pipeline/backfill/replayed-closes.js'],
      },
      {
        path: 'pipeline/sync/planted.ts',
        area: 'pipeline',
        text: '',
        imports: ['pipeline/backfill/replay-source.js', 'pipeline/panel-status-replies.js'],
      },
      {
        path: 'pipeline/run-sync.ts',
        area: 'pipeline',
        text: '',
        imports: ['pipeline/sync/panel-close.js', 'pipeline/backfill/replay-source.js'],
      },
    ];
    expect(syncAndBackfillImports(planted)).toEqual([
      'pipeline/backfill/planted.ts imports pipeline/sync/panel-close.js',
      'pipeline/sync/planted.ts imports pipeline/backfill/replay-source.js',
    ]);
  });
});

/** Areas whose files are their own business: others name only the area's index.ts, so a file can move inside without its callers knowing. */
const BEHIND_AN_INDEX = ['sources', 'destinations', 'ledger', 'store', 'rules', 'config', 'http', 'log'];

/**
 * A kind of destination's bundle, in its own folder (`destinations/xero/xero-kind.ts`): the registry
 * (pipeline/kinds) imports it there, so a new destination is its folder and one registry line, with no export to
 * add to destinations/index.ts.
 */
const DESTINATION_BUNDLE = /^destinations\/[^/]+\/[^/]+-kind\.js$/;

/**
 * Every import from one area into another such area that names a file other than that area's top index.ts (a
 * sub-folder's index included): a kind's rules, too, reach src/rules through its index.
 */
function importsPastAnIndex(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) =>
    file.imports
      .filter((target) => {
        const to = areaOf(target);
        if (file.path.startsWith('pipeline/kinds/') && DESTINATION_BUNDLE.test(target)) return false;
        return to !== file.area && BEHIND_AN_INDEX.includes(to) && target !== `${to}/index.js`;
      })
      .map((target) => `${file.path} imports ${target}`),
  );
}

describe('each stage is reached through its index.ts', () => {
  it('no import from another area names a file inside sources, destinations, ledger, store, rules, config, http or log', () => {
    expect(importsPastAnIndex(files)).toEqual([]);
  });

  it('the rule catches a planted deep import into each kind of area', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/planted-source.ts',
        area: 'pipeline',
        text: '',
        imports: ['sources/panel/panel-client.js', 'sources/index.js'],
      },
      {
        path: 'cli/planted-destination.ts',
        area: 'cli',
        text: '',
        imports: ['destinations/token-store.js', 'destinations/csv/index.js'],
      },
      { path: 'store/planted-config.ts', area: 'store', text: '', imports: ['config/ledger-location.js', 'kysely'] },
      {
        path: 'pipeline/planted-ledger.ts',
        area: 'pipeline',
        text: '',
        imports: ['ledger/ledger.js', 'rules/journal/journalize.js', 'store/index.js', 'http/clock.js'],
      },
      {
        path: 'sources/panel/allowed.ts',
        area: 'sources',
        text: '',
        imports: ['sources/panel/panel-wire.js', 'sources/webhooks/index.js', 'rules/index.js', 'errors.js'],
      },
      {
        path: 'pipeline/kinds/allowed-registry.ts',
        area: 'pipeline',
        text: '',
        imports: ['destinations/xero/xero-kind.js', 'destinations/xero/xero-client.js'],
      },
      {
        path: 'pipeline/post/planted-bundle.ts',
        area: 'pipeline',
        text: '',
        imports: ['destinations/xero/xero-kind.js'],
      },
      {
        path: 'kinds/panel/rules/planted-core.ts',
        area: 'kinds/panel',
        text: '',
        imports: ['rules/event-id.js', 'rules/index.js', 'kinds/panel/rules/order-status.js'],
      },
    ];
    expect(importsPastAnIndex(planted)).toEqual([
      'pipeline/planted-source.ts imports sources/panel/panel-client.js',
      'cli/planted-destination.ts imports destinations/token-store.js',
      'cli/planted-destination.ts imports destinations/csv/index.js',
      'store/planted-config.ts imports config/ledger-location.js',
      'pipeline/planted-ledger.ts imports ledger/ledger.js',
      'pipeline/planted-ledger.ts imports rules/journal/journalize.js',
      'pipeline/planted-ledger.ts imports http/clock.js',
      'pipeline/kinds/allowed-registry.ts imports destinations/xero/xero-client.js',
      'pipeline/post/planted-bundle.ts imports destinations/xero/xero-kind.js',
      'kinds/panel/rules/planted-core.ts imports rules/event-id.js',
    ]);
  });
});

describe('the source tree keeps its layers apart', () => {
  it('money, calendar and errors import nothing of ours', () => {
    expect(
      violations((file, target) =>
        // A module of ours resolves to a .js path under src/ (errors.js included); packages do not.
        (['money', 'calendar'].includes(file.area) &&
          target.endsWith('.js') &&
          !target.startsWith('.') &&
          areaOf(target) !== file.area) ||
        (file.area === 'errors' && target.startsWith('money'))
          ? `${file.path} imports ${target}`
          : undefined,
      ),
    ).toEqual([]);
  });

  it('sources never import destinations, and the reverse', () => {
    expect(
      violations((file, target) => {
        const to = areaOf(target);
        if (file.area === 'sources' && to === 'destinations') return `${file.path} imports ${target}`;
        if (file.area === 'destinations' && to === 'sources') return `${file.path} imports ${target}`;
        return undefined;
      }),
    ).toEqual([]);
  });

  it("no stage imports the pipeline or the CLI (but the store a port's declaration, type-only)", () => {
    expect(
      violations((file, target) =>
        ['sources', 'destinations', 'rules', 'ledger', 'store', 'money', 'calendar', 'config', 'http'].includes(
          file.area,
        ) &&
        ['pipeline', 'cli', 'scheduler'].includes(areaOf(target)) &&
        !portTypeImport(file, target)
          ? `${file.path} imports ${target}`
          : undefined,
      ),
    ).toEqual([]);
  });

  it("the rules (src/rules and each kind's rules folder) are pure: no I/O modules, no clock, no environment", () => {
    const rules = files.filter((file) => isRules(file.path));
    expect(rules.length).toBeGreaterThan(0);
    const impure = rules.flatMap((file) => [
      ...file.imports
        .filter(
          (target) =>
            target.startsWith('node:') ||
            ['store', 'sources', 'destinations', 'http', 'config'].includes(areaOf(target)),
        )
        .map((target) => `${file.path} imports ${target}`),
      ...(/Date\.now\(|new Date\(\)|process\.|Math\.random/.test(file.text)
        ? [`${file.path} reads the clock, randomness or the process`]
        : []),
    ]);
    expect(impure).toEqual([]);
  });

  it('only the CLI reads process.env or exits the process', () => {
    const offenders = files
      .filter((file) => file.area !== 'cli' && /process\.env|process\.exit\(/.test(file.text))
      .map((file) => file.path);
    expect(offenders).toEqual([]);
  });

  it('money never goes through floats in src/', () => {
    const offenders = files.filter((file) => /parseFloat\(|toFixed\(/.test(file.text)).map((file) => file.path);
    expect(offenders).toEqual([]);
  });
});

/** The stages of the pipeline: every use case under src/pipeline may import each of them. */
const STAGES = [
  'calendar',
  'config',
  'destinations',
  'errors',
  'http',
  'ledger',
  'log',
  'money',
  'rules',
  'sources',
  'store',
];

interface Layer {
  /** A top folder of src/, `errors` (src/errors.ts), or a use case's folder under src/pipeline (`pipeline` alone: the files at its root). */
  area: string;
  holds: string;
  /** The areas of ours its files may import (packages have rules of their own above). */
  mayImport: readonly string[];
}

/**
 * Who may import whom, as data: the test below holds every import in src/ to it, and docs/architecture.md
 * quotes it (the table rendered from this list must appear there word for word).
 */
const LAYERS: readonly Layer[] = [
  { area: 'money', holds: 'exact amounts (bigint micro-units), decimal text, half-even rounding', mayImport: [] },
  {
    area: 'calendar',
    holds: 'calendar dates: the one date schema, the one ISO 8601 reader, days in a time zone',
    mayImport: [],
  },
  {
    area: 'errors',
    holds: 'the error types, one per failure a user must tell apart, and their exit codes',
    mayImport: ['money'],
  },
  { area: 'log', holds: 'the logger and printable text', mayImport: ['errors'] },
  {
    area: 'rules',
    holds:
      'the domain core, pure functions each with a worked example: the vocabulary, journal rules, per-source close and replay logic',
    mayImport: ['calendar', 'errors', 'money'],
  },
  {
    area: 'config',
    holds: 'the configuration schema and loader, the chart and mappings',
    mayImport: ['errors', 'money', 'rules'],
  },
  {
    area: 'http',
    holds: 'the one retry loop, the one throttle module, the raw-reply hook, the listener',
    mayImport: ['errors', 'money'],
  },
  {
    area: 'store',
    holds:
      'the only place that touches the database: `LedgerStore`, its SQLite and PostgreSQL executors, migrations, and the ports the use cases and the journal declare',
    mayImport: ['config', 'errors', 'ledger', 'rules'],
  },
  {
    area: 'ledger',
    holds:
      'the double-entry books: append (checked and rendered by the rules), content hash, balances, over the port it declares (`JournalBooks`)',
    mayImport: ['errors', 'rules'],
  },
  {
    area: 'queue',
    holds: "the job queue on pg-boss in a PostgreSQL ledger's database",
    mayImport: ['config', 'errors'],
  },
  {
    area: 'sources',
    holds:
      'the SMM panel and ad-network clients, their entries in the configuration, the orders file, the webhook receiver, the panel proxy',
    mayImport: ['calendar', 'config', 'errors', 'http', 'log', 'money', 'rules'],
  },
  {
    area: 'destinations',
    holds: 'Xero, QuickBooks and the CSV exports',
    mayImport: ['calendar', 'config', 'errors', 'http', 'ledger', 'money', 'rules'],
  },
  {
    area: 'alerts',
    holds: 'the alert sender (webhook, command) and the token-expiry check',
    mayImport: ['config', 'errors', 'http', 'log'],
  },
  {
    area: 'pipeline/landing',
    holds: 'raw replies and webhook deliveries kept before they are read, and read back',
    mayImport: STAGES,
  },
  {
    area: 'pipeline/operations',
    holds: '`doctor`, the organisation gate, exchange rates, moving a ledger to PostgreSQL',
    mayImport: STAGES,
  },
  {
    area: 'pipeline/runs',
    holds:
      'a run as recorded: the run lock protocol, alerts, what a sync reports and how it becomes the summary and exit code',
    mayImport: [...STAGES, 'alerts', 'runtime'],
  },
  {
    area: 'pipeline/adjustments',
    holds:
      "a person's word on the books, as write use cases: booking and approving an adjusting entry, acknowledging a reconcile item, accepting a payout's or top-up's bank line",
    mayImport: [...STAGES, 'reads', 'pipeline/transit'],
  },
  {
    area: 'pipeline/sync',
    holds: "the nightly sync (`syncNight`): each source's close of a day, live or through the queue",
    mayImport: [...STAGES, 'alerts', 'queue', 'pipeline/landing', 'pipeline/runs', 'pipeline/transit'],
  },
  {
    area: 'pipeline/backfill',
    holds: 'the backfill (`backfillWindow`): stored replies read again, differences booked as corrections',
    mayImport: [...STAGES, 'pipeline/landing', 'pipeline/runs', 'pipeline/transit'],
  },
  {
    area: 'pipeline/post',
    holds: 'the post: delivery to a destination through the outbox',
    mayImport: [...STAGES, 'alerts', 'pipeline/operations', 'pipeline/runs'],
  },
  {
    area: 'pipeline/transit',
    holds:
      "the money in transit: bank statements landed through their kind's import, and each payout and top-up followed to its bank line",
    mayImport: STAGES,
  },
  {
    area: 'pipeline/nightly',
    holds: 'the scheduled night (`runNightly`): sync, then post the synced days, locally or through workers',
    mayImport: [
      ...STAGES,
      'alerts',
      'queue',
      'pipeline/operations',
      'pipeline/post',
      'pipeline/runs',
      'pipeline/sync',
      'pipeline/witness',
    ],
  },
  {
    area: 'pipeline/witness',
    holds:
      "the ledger's witness off its folder: each run's chain head and certificate kept, held against the books by `verify` and the night, and `restore`",
    // pipeline/adjustments: the filed returns, held against the witnessed heads, read through filing's books.
    mayImport: [...STAGES, 'alerts', 'reads', 'pipeline/adjustments', 'pipeline/operations', 'pipeline/runs'],
  },
  {
    area: 'pipeline/kinds',
    holds:
      'the plug-in registries: a kind of source bundles its entry, close, replay, probe and report facts, a kind of destination its section, export format, client and consent, each registered in one line; no other use case imports it',
    mayImport: [
      ...STAGES,
      'kinds/<kind>',
      'pipeline/backfill',
      'pipeline/operations',
      'pipeline/post',
      'reads',
      'pipeline/sync',
      'pipeline/transit',
    ],
  },
  {
    area: 'pipeline/status',
    holds:
      "what `status`, `metrics`, the fleet report, `close` and the console read: the status facts, reconcile's open items, a close's blockers, the destinations' connections, the silent sources a night alerts",
    mayImport: [
      ...STAGES,
      'alerts',
      'scheduler',
      'reads',
      'pipeline/kinds',
      'pipeline/nightly',
      'pipeline/operations',
      'pipeline/runs',
      'pipeline/transit',
    ],
  },
  {
    area: 'reads',
    holds: 'the read models: balances, status, reconcile and the tie-out, the finance report and console, exports',
    mayImport: [...STAGES, 'pipeline/adjustments', 'pipeline/runs', 'pipeline/transit'],
  },
  {
    area: 'kinds/<kind>/rules',
    holds: "a built-in source kind's pure rules: its close, replay and state logic, each with a worked example",
    mayImport: ['calendar', 'errors', 'money', 'rules'],
  },
  {
    area: 'kinds/<kind>/books',
    holds:
      "a kind's own books: its port and its repositories, written over the store's handle (`StoreHandle`, a unit's `StoreTx`), opened as a use case's books are (`books.of(panelReads)`; its writes only on a unit's `tx.of(panelBooks)`)",
    mayImport: ['errors', 'ledger', 'money', 'rules', 'store', 'kinds/<kind>/rules', 'pipeline/landing'],
  },
  {
    area: 'kinds/<kind>',
    holds:
      'one built-in source kind, whole: its wire, client, close, replay, probe, webhook format, proxy; its `index.ts` exports the one kind object, which only the registry (`pipeline/kinds`) imports',
    mayImport: [
      ...STAGES.filter((stage) => stage !== 'store'),
      'kinds/<kind>/books',
      'kinds/<kind>/rules',
      'kinds/<kind>/commands',
      'pipeline/backfill',
      'pipeline/kinds',
      'pipeline/landing',
      'pipeline/operations',
      'pipeline/runs',
      'pipeline/sync',
      'pipeline/transit',
    ],
  },
  {
    area: 'kinds/<kind>/commands',
    holds:
      "a kind's own commands (the panel's `panel-proxy`), which its kind object hands the CLI's table through the registry: held to the CLI's rule",
    mayImport: [
      ...STAGES.filter((stage) => stage !== 'store'),
      'app',
      'cli',
      'pipeline/operations',
      'kinds/<kind>',
      'kinds/<kind>/books',
    ],
  },
  { area: 'scheduler', holds: 'the cron wiring', mayImport: ['errors', 'log'] },
  {
    area: 'runtime',
    holds:
      "the process's runtime: the V8 code cache of the CLI's bundle, a crash test's kill points, whether another process lives",
    mayImport: [],
  },
  {
    area: 'app',
    holds:
      'the composition root, above the pipeline it composes: opens the ledger and hands each use case the port it declares, implemented by the store; no use case imports it',
    mayImport: [
      ...STAGES,
      'alerts',
      'queue',
      'runtime',
      'pipeline/adjustments',
      'pipeline/backfill',
      'pipeline/kinds',
      'pipeline/landing',
      'pipeline/nightly',
      'pipeline/operations',
      'pipeline/post',
      'pipeline/runs',
      'pipeline/status',
      'pipeline/sync',
      'pipeline/transit',
      'pipeline/witness',
      'reads',
    ],
  },
  {
    area: 'cli',
    holds: 'argument parsing, the commands, their output, exit codes; the only reader of `process.env`',
    mayImport: [
      ...STAGES,
      'alerts',
      'queue',
      'scheduler',
      'runtime',
      'app',
      'pipeline/adjustments',
      'pipeline/backfill',
      'pipeline/kinds',
      'pipeline/landing',
      'pipeline/nightly',
      'pipeline/operations',
      'pipeline/post',
      'pipeline/runs',
      'pipeline/status',
      'pipeline/sync',
      'pipeline/transit',
      'pipeline/witness',
      'reads',
      'kinds/<kind>',
    ],
  },
];

/** The table's area of a path relative to src/: a use case's folder under pipeline/, a kind's folder (or its rules, books, commands), else the top folder (or errors). */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'pipeline' && parts.length > 2) return `pipeline/${parts[1]}`;
  if (parts[0] === 'kinds' && parts.length > 2)
    return ['rules', 'books', 'commands'].includes(parts[2]!) && parts.length > 3
      ? `kinds/<kind>/${parts[2]}`
      : 'kinds/<kind>';
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.(ts|js)$/, '');
}

/**
 * The contracts a kind of destination plugs into, which src/destinations may import type-only: the post's
 * `PostDestination` and the read side's `LedgerExportFormat` and `LedgerReads` (destinations/destination-kind.ts,
 * each bundle's export). As with the store's ports, nothing of the pipeline loads at run time. Each is named by
 * its own file, not its folder's index: the index reaches the destinations back, and the two made one circle of
 * 41 files (issue 85).
 */
const DESTINATION_CONTRACTS = [
  'pipeline/post/post-destination.js',
  'reads/ledger-export.js',
  'reads/books/ledger-reads.js',
];

/**
 * The contract a kind of source plugs into (`SourceKind`), which a kind's folder imports type-only from its own
 * file: the registries' index imports every kind, so naming it made the kinds and the registry one circle.
 */
const SOURCE_KIND_CONTRACT = 'pipeline/kinds/source-kind.js';

/** Whether `file` imports `target` type-only, and only so, where its area may: a destination a contract, a kind its contract. */
function portTypeImport(file: SourceFile, target: string): boolean {
  const area = areaOf(file.path);
  const allowed =
    (area === 'destinations' && DESTINATION_CONTRACTS.includes(target)) ||
    (area.startsWith('kinds') && target === SOURCE_KIND_CONTRACT);
  if (!allowed) return false;
  const specifier = String.raw`from '(?:\.\./)+${target.replaceAll('.', '\\.')}'`;
  return (
    new RegExp(String.raw`^import type [^;]*${specifier}`, 'm').test(file.text) &&
    !new RegExp(String.raw`^(?:import|export) (?!type )[^;]*${specifier}`, 'm').test(file.text)
  );
}

/** Every import of ours the table does not allow, and every file whose area the table does not name. */
function importsOutsideTheTable(tree: readonly SourceFile[], layers: readonly Layer[]): string[] {
  const byArea = new Map(layers.map((layer) => [layer.area, layer]));
  const ours = new Set(files.map((file) => layerOf(file.path).split('/')[0]!));
  return tree.flatMap((file) => {
    const from = layerOf(file.path);
    const layer = byArea.get(from);
    if (layer === undefined) return [`${file.path}: ${from} is not in the table`];
    return (
      file.imports
        .filter((target) => target.endsWith('.js') && ours.has(layerOf(target).split('/')[0]!))
        // Who may import a kind is the next rule's business (the registry alone, through the kind's index.ts).
        .filter((target) => !(layerOf(target).startsWith('kinds/') && !from.startsWith('kinds/')))
        .filter((target) => layerOf(target) !== from && !layer.mayImport.includes(layerOf(target)))
        .filter((target) => !portTypeImport(file, target))
        .map((target) => `${file.path} imports ${target} (${from} may not import ${layerOf(target)})`)
    );
  });
}

/** The table as docs/architecture.md quotes it. */
function renderedTable(layers: readonly Layer[]): string {
  const name = (area: string) => (area === 'errors' ? '`errors.ts`' : `\`${area}/\``);
  const allowed = (mayImport: readonly string[]) => {
    const stages = STAGES.every((stage) => mayImport.includes(stage));
    const rest = mayImport.filter((area) => !stages || !STAGES.includes(area)).map((area) => `\`${area}\``);
    return [...(stages ? ['the stages'] : []), ...rest].join(', ') || 'nothing of ours';
  };
  return [
    '| folder | what it holds | may import |',
    '|---|---|---|',
    ...layers.map((layer) => `| ${name(layer.area)} | ${layer.holds} | ${allowed(layer.mayImport)} |`),
    '',
    `The stages: ${STAGES.map((stage) => `\`${stage}\``).join(', ')}.`,
  ].join('\n');
}

/** The lines of the rendered table that the document does not hold. */
function tableDrift(doc: string, layers: readonly Layer[]): string[] {
  const lines = new Set(doc.split('\n'));
  return renderedTable(layers)
    .split('\n')
    .filter((line) => line !== '' && !lines.has(line));
}

const architectureDoc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');

describe('the may-import table is data, enforced here and quoted by the doc', () => {
  it('every import in src/ is one the table allows, and every area of src/ is in the table', () => {
    expect(importsOutsideTheTable(files, LAYERS)).toEqual([]);
  });

  it('docs/architecture.md quotes the table exactly', () => {
    expect(tableDrift(architectureDoc, LAYERS)).toEqual([]);
  });

  it("the rules catch a planted import, a planted area and a doc that drifted, and refuse the store even a port's type", () => {
    const planted: SourceFile[] = [
      { path: 'rules/planted-store.ts', area: 'rules', text: '', imports: ['store/index.js', 'money/index.js', 'zod'] },
      {
        path: 'pipeline/runs/planted-sync.ts',
        area: 'pipeline',
        text: '',
        imports: ['pipeline/sync/index.js', 'pipeline/runs/recorded-run.js', 'store/index.js'],
      },
      { path: 'pipeline/backfill/planted.ts', area: 'pipeline', text: '', imports: ['pipeline/sync/index.js'] },
      { path: 'pipeline/planted-case/new.ts', area: 'pipeline', text: '', imports: [] },
      {
        path: 'cli/commands/allowed.ts',
        area: 'cli',
        text: '',
        imports: ['pipeline/sync/index.js', 'store/index.js', 'node:fs'],
      },
      {
        path: 'store/planted-port-store.ts',
        area: 'store',
        text: "import type { LandingBooks } from '../pipeline/landing/books/landing-books.js';\n",
        imports: ['pipeline/landing/books/landing-books.js'],
      },
      {
        path: 'store/planted-value-store.ts',
        area: 'store',
        text: "import { SyncBooks } from '../pipeline/sync/sync-books.js';\n",
        imports: ['pipeline/sync/sync-books.js'],
      },
      {
        path: 'store/planted-use-case-store.ts',
        area: 'store',
        text: "import type { syncNight } from '../pipeline/sync/sync-night.js';\n",
        imports: ['pipeline/sync/sync-night.js'],
      },
    ];
    expect(importsOutsideTheTable(planted, LAYERS)).toEqual([
      'rules/planted-store.ts imports store/index.js (rules may not import store)',
      'pipeline/runs/planted-sync.ts imports pipeline/sync/index.js (pipeline/runs may not import pipeline/sync)',
      'pipeline/backfill/planted.ts imports pipeline/sync/index.js (pipeline/backfill may not import pipeline/sync)',
      'pipeline/planted-case/new.ts: pipeline/planted-case is not in the table',
      'store/planted-port-store.ts imports pipeline/landing/books/landing-books.js (store may not import pipeline/landing)',
      'store/planted-value-store.ts imports pipeline/sync/sync-books.js (store may not import pipeline/sync)',
      'store/planted-use-case-store.ts imports pipeline/sync/sync-night.js (store may not import pipeline/sync)',
    ]);
    const drifted = architectureDoc.replace('| `store/` |', '| `store/` | and the CLI |');
    expect(tableDrift(drifted, LAYERS)).toHaveLength(1);
    expect(tableDrift(architectureDoc, [...LAYERS, { area: 'planted', holds: 'a new folder', mayImport: [] }])).toEqual(
      ['| `planted/` | a new folder | nothing of ours |'],
    );
  });
});

/** Every import of one command by another: what two commands share belongs to the use case (or a cli/ module), not to a command. */
function commandsImportingCommands(tree: readonly SourceFile[]): string[] {
  const isCommand = (path: string) =>
    /^cli\/commands\/[^/]+\.(ts|js)$/.test(path) && !/^cli\/commands\/index\.(ts|js)$/.test(path);
  return tree
    .filter((file) => isCommand(file.path))
    .flatMap((file) => file.imports.filter(isCommand).map((target) => `${file.path} imports ${target}`));
}

describe('no command imports another command', () => {
  it('no file in src/cli/commands imports another one (the command table, index.ts, lists them all)', () => {
    expect(files.some((file) => file.path === 'cli/commands/worker.ts')).toBe(true);
    expect(commandsImportingCommands(files)).toEqual([]);
  });

  it('the rule catches a planted import of a command by a command, and leaves the table and shared modules alone', () => {
    const planted: SourceFile[] = [
      {
        path: 'cli/commands/worker.ts',
        area: 'cli',
        text: '',
        imports: ['cli/commands/post.js', 'cli/commands/sync.js', 'cli/recorded-post.js', 'pipeline/sync/index.js'],
      },
      { path: 'cli/commands/schedule.ts', area: 'cli', text: '', imports: ['cli/commands/schedule-post.js'] },
      {
        path: 'cli/commands/index.ts',
        area: 'cli',
        text: '',
        imports: ['cli/commands/post.js', 'cli/commands/sync.js'],
      },
      { path: 'cli/run-cli.ts', area: 'cli', text: '', imports: ['cli/commands/index.js'] },
    ];
    expect(commandsImportingCommands(planted)).toEqual([
      'cli/commands/worker.ts imports cli/commands/post.js',
      'cli/commands/worker.ts imports cli/commands/sync.js',
      'cli/commands/schedule.ts imports cli/commands/schedule-post.js',
    ]);
  });
});

/** Every import from outside a use case's folder under src/pipeline that names a file other than the folder's index.ts. */
function importsPastAUseCaseIndex(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) =>
    file.imports
      .filter((target) => {
        const useCase = /^pipeline\/([^/]+)\/./.exec(target)?.[1];
        return (
          useCase !== undefined &&
          !file.path.startsWith(`pipeline/${useCase}/`) &&
          target !== `pipeline/${useCase}/index.js` &&
          !portTypeImport(file, target)
        );
      })
      .map((target) => `${file.path} imports ${target}`),
  );
}

describe('each use case of the pipeline is reached through its index.ts', () => {
  it('no import from outside a folder of src/pipeline names a file inside it', () => {
    expect(files.some((file) => file.path === 'pipeline/sync/index.ts')).toBe(true);
    expect(importsPastAUseCaseIndex(files)).toEqual([]);
  });

  it("the rule catches a planted deep import from the CLI and from another use case, and leaves a folder's own files alone", () => {
    const planted: SourceFile[] = [
      {
        path: 'cli/commands/planted.ts',
        area: 'cli',
        text: '',
        imports: ['pipeline/sync/sync-night.js', 'pipeline/runs/index.js'],
      },
      {
        path: 'pipeline/nightly/planted.ts',
        area: 'pipeline',
        text: '',
        imports: ['pipeline/reports/finance-report/index.js', 'pipeline/nightly/nightly-run.js'],
      },
      {
        path: 'pipeline/sync/allowed.ts',
        area: 'pipeline',
        text: '',
        imports: ['pipeline/sync/panel-close.js', 'pipeline/landing/index.js', 'pipeline/post.js'],
      },
    ];
    expect(importsPastAUseCaseIndex(planted)).toEqual([
      'cli/commands/planted.ts imports pipeline/sync/sync-night.js',
      'pipeline/nightly/planted.ts imports pipeline/reports/finance-report/index.js',
    ]);
  });
});

/** The registry of source kinds: the one file outside src/kinds that imports a kind, and only the kind's index.ts. */
const KIND_REGISTRY = 'pipeline/kinds/source-kinds.ts';

/** Every import of a kind's file from outside the kind but the registry's of its index.ts. */
function kindImportsOutsideTheRegistry(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) =>
    file.imports
      .filter((target) => /^kinds\/[^/]+\//.test(target) && areaOf(target) !== file.area)
      .filter((target) => !(file.path === KIND_REGISTRY && target === `${areaOf(target)}/index.js`))
      .map((target) =>
        file.area.startsWith('kinds/')
          ? `${file.path} imports ${target}: a kind never imports another kind`
          : `${file.path} imports ${target}: only the registry (${KIND_REGISTRY}) imports a kind, through its index.ts`,
      ),
  );
}

describe('a kind is reached only through the registry', () => {
  it("no file outside a kind's folder imports it, but the registry its index.ts", () => {
    expect(files.some((file) => file.path === 'kinds/panel/index.ts')).toBe(true);
    expect(kindImportsOutsideTheRegistry(files)).toEqual([]);
  });

  it("the rule catches a planted import of a kind's file, of its index.ts, and of another kind, from the core, the store and the CLI alike", () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/planted.ts',
        area: 'pipeline',
        text: '',
        imports: ['kinds/panel/panel-close.js', 'kinds/panel/index.js'],
      },
      { path: 'kinds/panel/planted.ts', area: 'kinds/panel', text: '', imports: ['kinds/payelancer/index.js'] },
      {
        path: 'kinds/panel/allowed.ts',
        area: 'kinds/panel',
        text: '',
        imports: ['kinds/panel/rules/remains.js', 'pipeline/sync/index.js'],
      },
      {
        path: KIND_REGISTRY,
        area: 'pipeline',
        text: '',
        imports: ['kinds/panel/index.js', 'kinds/panel/panel-config.js'],
      },
      { path: 'rules/index.ts', area: 'rules', text: '', imports: ['kinds/panel/rules/order-ledger-state.js'] },
      { path: 'store/planted.ts', area: 'store', text: '', imports: ['kinds/panel/books/panel-books.js'] },
      { path: 'reads/planted.ts', area: 'reads', text: '', imports: ['kinds/bank-statement/index.js'] },
      { path: 'cli/planted.ts', area: 'cli', text: '', imports: ['kinds/panel/panel-config.js'] },
    ];
    const outside = (line: string) =>
      `${line}: only the registry (${KIND_REGISTRY}) imports a kind, through its index.ts`;
    expect(kindImportsOutsideTheRegistry(planted)).toEqual([
      outside('pipeline/sync/planted.ts imports kinds/panel/panel-close.js'),
      outside('pipeline/sync/planted.ts imports kinds/panel/index.js'),
      'kinds/panel/planted.ts imports kinds/payelancer/index.js: a kind never imports another kind',
      outside(`${KIND_REGISTRY} imports kinds/panel/panel-config.js`),
      outside('rules/index.ts imports kinds/panel/rules/order-ledger-state.js'),
      outside('store/planted.ts imports kinds/panel/books/panel-books.js'),
      outside('reads/planted.ts imports kinds/bank-statement/index.js'),
      outside('cli/planted.ts imports kinds/panel/panel-config.js'),
    ]);
  });
});

/** What writes the books: the write use cases, the composition root that hands out write ports, the store and the queue. */
const WRITE_AREAS = [
  'pipeline/adjustments',
  'pipeline/backfill',
  'app',
  'pipeline/nightly',
  'pipeline/post',
  'pipeline/sync',
  'queue',
  'store',
];

/** Files of src/reads that still import a write area, with what they import; the list only comes down. */
const READS_THAT_WRITE: Readonly<Record<string, readonly string[]>> = {};

/** Every import of a write area from src/reads not listed, and every listed import that is gone. */
function writesFromReads(tree: readonly SourceFile[], listed: Readonly<Record<string, readonly string[]>>): string[] {
  const found = tree
    // The reads' books/ is their one way to the store (issue 85).
    .filter((file) => file.path.startsWith('reads/') && !file.path.startsWith('reads/books/'))
    .flatMap((file) =>
      file.imports
        .filter((target) => target.endsWith('.js') && WRITE_AREAS.includes(layerOf(target)))
        .map((target) => [file.path, target] as const),
    );
  const unlisted = found
    .filter(([path, target]) => !(listed[path] ?? []).includes(target))
    .map(([path, target]) => `${path} imports ${target}: src/reads reads only through LedgerReads`);
  const gone = Object.entries(listed).flatMap(([path, targets]) =>
    targets
      .filter((target) => !found.some(([p, t]) => p === path && t === target))
      .map((target) => `${path} no longer imports ${target}: remove it from READS_THAT_WRITE`),
  );
  return [...unlisted, ...gone];
}

/**
 * Every import of the composition root (src/app) from a file outside it, the CLI and a kind's commands (the CLI's
 * part a kind brings): the root composes, nothing it composes knows it.
 */
function importsOfTheRoot(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => !['app', 'cli', 'kinds/<kind>/commands'].includes(layerOf(file.path)))
    .flatMap((file) =>
      file.imports.filter((target) => layerOf(target) === 'app').map((target) => `${file.path} imports ${target}`),
    );
}

describe('the composition root sits above what it composes (issue 71 item 3)', () => {
  it('no use case, read model or stage imports src/app', () => {
    expect(files.some((file) => file.path === 'app/books.ts')).toBe(true);
    expect(importsOfTheRoot(files)).toEqual([]);
  });

  it('the rule catches a planted import of the root from a use case and leaves the CLI alone', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/witness/planted.ts', area: 'pipeline', text: '', imports: ['app/index.js'] },
      { path: 'reads/planted.ts', area: 'reads', text: '', imports: ['app/books.js'] },
      { path: 'cli/load.ts', area: 'cli', text: '', imports: ['app/index.js'] },
    ];
    expect(importsOfTheRoot(planted)).toEqual([
      'pipeline/witness/planted.ts imports app/index.js',
      'reads/planted.ts imports app/books.js',
    ]);
  });
});

describe('the read models write nothing (issue 53 item 6)', () => {
  it('nothing under src/reads imports a write use case, the composition root, the store or the queue', () => {
    expect(files.some((file) => file.path.startsWith('reads/'))).toBe(true);
    expect(writesFromReads(files, READS_THAT_WRITE)).toEqual([]);
  });

  it('the rule catches a planted import of a write use case and of the store, and a listed import that is gone', () => {
    const planted: SourceFile[] = [
      {
        path: 'reads/planted-report.ts',
        area: 'reads',
        text: '',
        imports: ['pipeline/adjustments/index.js', 'store/index.js', 'reads/books/ledger-reads.js', 'ledger/index.js'],
      },
      { path: 'pipeline/sync/allowed.ts', area: 'pipeline', text: '', imports: ['store/index.js'] },
    ];
    expect(writesFromReads(planted, { 'reads/listed.ts': ['pipeline/sync/index.js'] })).toEqual([
      'reads/planted-report.ts imports pipeline/adjustments/index.js: src/reads reads only through LedgerReads',
      'reads/planted-report.ts imports store/index.js: src/reads reads only through LedgerReads',
      'reads/listed.ts no longer imports pipeline/sync/index.js: remove it from READS_THAT_WRITE',
    ]);
  });
});
