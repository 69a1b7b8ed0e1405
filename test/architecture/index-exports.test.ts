import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/**
 * An index.ts is a folder's public face: it names what it exports, so a reader sees the whole of it and an
 * export cannot arrive unnoticed with a new function in a file behind it (issue 39: the ports replace the
 * store's ~160 free functions, and each index shrinks towards what its callers need).
 */

/** The indexes that may not `export *`: each area's (`src/*\/index.ts`) and each use case's (`src/pipeline/*\/index.ts`). */
function mustNameItsExports(path: string): boolean {
  return /^[^/]+\/index\.ts$/.test(path) || /^pipeline\/[^/]+\/index\.ts$/.test(path);
}

/** The indexes that may still `export *`: none since issue 39; the list stays, empty, so a planted one is refused by name. */
const EXPORT_STAR_EXCEPTIONS: readonly string[] = [];

function exportStars(source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) =>
    ts.isExportDeclaration(statement) &&
    statement.exportClause === undefined &&
    statement.moduleSpecifier !== undefined &&
    ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );
}

/** Every `export *` in an index that must name its exports and is not listed, and every listed index that no longer has one. */
function exportStarsInIndexes(tree: readonly SourceFile[], exceptions: readonly string[]): string[] {
  const found = tree
    .filter((file) => mustNameItsExports(file.path))
    .flatMap((file) => exportStars(parse(file)).map((target) => ({ path: file.path, target })));
  return [
    ...found
      .filter(({ path }) => !exceptions.includes(path))
      .map(({ path, target }) => `${path}: export * from '${target}' (name the exports)`),
    ...exceptions
      .filter((path) => !found.some((star) => star.path === path))
      .map((path) => `${path} has no export * now: remove it from EXPORT_STAR_EXCEPTIONS`),
  ];
}

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
}

/** The names a declaration statement exports (none when it has no `export`), `default` for a default export. */
function declaredExports(statement: ts.Statement): string[] {
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  if (!modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return [];
  if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) return ['default'];
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
  const named = statement as ts.Statement & { name?: ts.Node };
  return named.name !== undefined && (ts.isIdentifier(named.name) || ts.isStringLiteral(named.name))
    ? [named.name.text]
    : [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** The module a relative specifier names, as a path relative to src/: `./x.js` is `x.ts` or `x/index.ts`. */
function resolveModule(from: string, specifier: string, known: ReadonlyMap<string, SourceFile>): string | undefined {
  const base = normalize(join(dirname(from), specifier)).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
}

/** The names a module exports: its own declarations, `export { … }` (from a module or not), `export * as x`, and each `export *` followed to the names its target exports. */
function exportedNames(
  path: string,
  known: ReadonlyMap<string, SourceFile>,
  following: ReadonlySet<string> = new Set(),
): Set<string> {
  const file = known.get(path);
  const names = new Set<string>();
  if (file === undefined || following.has(path)) return names;
  for (const statement of parse(file).statements) {
    if (ts.isExportAssignment(statement) && statement.isExportEquals !== true) names.add('default');
    else if (!ts.isExportDeclaration(statement)) declaredExports(statement).forEach((name) => names.add(name));
    else if (statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause))
      statement.exportClause.elements.forEach((element) => names.add(element.name.text));
    else if (statement.exportClause !== undefined) names.add(statement.exportClause.name.text);
    else if (statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)) {
      const target = resolveModule(path, statement.moduleSpecifier.text, known);
      if (target === undefined) continue;
      for (const name of exportedNames(target, known, new Set([...following, path])))
        if (name !== 'default') names.add(name);
    }
  }
  return names;
}

/**
 * How many names each index.ts under src/ exports today, at most: a count above its ceiling fails (a new export
 * is a decision, taken here), and so does one below it (lower the ceiling), so an index that shrank cannot grow back.
 */
const INDEX_EXPORT_CEILINGS: Readonly<Record<string, number>> = {
  // readableTime (issue 40): recorded instants shown in the books' zone by status, report and console.
  // calendarDateIn (2026-11-27): the date of an instant in a zone, moved from sources/webhooks, which the closes used it from.
  'calendar/index.ts': 13, // calendarDays; fiscalYearOf (issue 86)
  'cli/commands/index.ts': 1,
  'kinds/payelancer/index.ts': 1,
  // checkedCacheIn, CheckedCache (issue 56): the CLI keeps the configuration's and the chart's checks.
  // bankAccountsOf, bankLedgerAccounts, BankAccountSource (issue 71): a bank account is read off its entry, not its kind's name.
  'config/index.ts': 59, // taxSection, taxChartOf (issue 54); destinationTaxFlows, taxCodesSection, legacyTaxNote (issue 70); loadEachEntityConfig, configuredEntityNames (issue 55 entities); SANDBOX_REGION_HOMES (issue 70)
  'destinations/consent/index.ts': 7,
  'destinations/csv/index.ts': 9, // csvText: `vat --format csv` writes the boxes as the exports do (issue 70)
  'destinations/index.ts': 39, // regionChartTaxSection: init writes the chart's tax: for a region (issue 83); baseCents, deliveredConversion: the tax tie-out converts as the journals; csvText for `vat --format csv` (issue 70)
  'http/index.ts': 52,
  'kinds/panel/index.ts': 7,
  'kinds/panel/proxy/index.ts': 6, // proxyBooks (issue 71): the proxy's books, which the composition root hands over the store's handle
  // The bank-statement kind (issue 53): its kind object, entry, reader and import; bankOpeningEntry (issue 69).
  'kinds/bank-statement/index.ts': 3,
  // Acknowledgement, AccountTotals, AccountMovement, DebitCreditTotals (issue 85): book records the store's repositories
  // return and the reads' port names, declared here so that no store file imports reads/ (the circle it made).
  'ledger/index.ts': 58, // FiledReturn (issue 70): a filed tax return, a book record as a closed period is
  // printableLines (issue 84): an error, a log line and --json show what they echo with its controls escaped.
  'log/index.ts': 11, // listed ("a, b or c"): the flags' refusals and the composition root's destination refusals
  // convertEachCents: QuickBooks' home amounts line by line (issue 82 item 9); currencyDecimals (issue 84): one
  // definition for adjust's amounts and a statement's cells.
  'money/index.ts': 25,
  // acceptTransitItem, acknowledgeListedItem (issue 71 item 3): transit accept's and reconcile ack's use cases, out of the CLI.
  'pipeline/adjustments/index.ts': 13, // fileTaxReturn (issue 70): `vat file`; queueItem, sayOnQueueItem (issue 72): a person's word on an exception-queue item; its four books (issue 85), which the root opens by `books.of`
  'pipeline/backfill/index.ts': 11, // backfillBooks: the backfill's books opened by books.of (issue 85); the replay's port and window types, for a kind's replay in src/kinds; the orders-file repoll's type, for a kind's object
  'app/index.ts': 2,
  'pipeline/kinds/index.ts': 8,
  // ProxyBooks (issue 53 item 4): the proxy's port, declared where the store may see it, for the panel kind's proxy.
  // interruptedCloseEvents, readSourceState(s), writeSourceState (issue 85, from the store's index): how far a source's
  // reading has got, read by the sync's, the backfill's and the panel's books; closeProgressReads, closeProgressTx and
  // their types, CloseBooks, CloseUnit: the sync's and the backfill's books share their close reads and shape, written once.
  'pipeline/landing/index.ts': 22, // landingBooks, opened by books.of; landingReadsOver, landingTxOver, quarantine: the sync's books (pipeline/sync/books) land replies and quarantine in the close's unit; landRawReply, RawReplyRow: the panel proxy's books land its replies (issue 85)
  // lastClosedPeriodCheck (issue 42): the console's periods say when the night last re-verified them.
  'pipeline/nightly/index.ts': 6,
  // sealWitnesses, closedPeriodRecheck (issue 71 item 3): out of the CLI; nightSealWitnesses now only the witness's own.
  // verificationMessage, restoredText (issue 71 item 3): verify's and restore's text, out of the CLI.
  'pipeline/witness/index.ts': 22,
  // periodStates (issue 42): the console's periods, open, closing or closed.
  // certificateFolder, besideLedger, carryBesideLedger, BesideLedger, CarriedBesideLedger, ledgerWriteRefusal (issue 71 item 3): out of the CLI.
  // moveJson, renderMove, renderClose, sourcesTable, doctorText (issue 71 item 3): the ledger move's, close's, `sources test`'s and doctor's text, out of the CLI, beside their use cases.
  // evidenceBooks, doctorBooks, sealBooks, sideTableBooks (issue 85): operations' books, which the root and the witness open by `books.of`.
  'pipeline/operations/index.ts': 33, // checkSources (issue 55): `sources test` asks each source as doctor does
  // postOutbox, bankDocumentOutbox, evidenceAttachmentOutbox, BankDocumentOutbox (issue 85): post's books, which the root,
  // `restore` and the night open by `books.of(…, destination)` in place of the root's three getters.
  'pipeline/post/index.ts': 28,
  // loadWholeUnit, WholeStagedSource (issue 53): a kind whose unit is kept whole, as a bank statement.
  // syncStandings (issue 71 item 3, once failingSince): out of the CLI.
  // latestRunsOfEachCommand, recentRuns, recordedRuns (issue 85, from the store's index): the run history the reads' and the sync's books read.
  'pipeline/runs/index.ts': 58, // runRecords: the runs' books the root opens by books.of, in place of its getter (issue 85)
  // What status, metrics, the fleet and the console read (issue 71 item 3: out of the CLI).
  // renderStatus, renderFleet, silentLines, prometheusText, EntityFigures (issue 71 item 3): status' and metrics' text, out of the CLI.
  'pipeline/status/index.ts': 16,
  // SyncBooksReads (issue 53 item 4): what a kind's close reads outside a unit, now that the sync's writes are on its tx.
  'pipeline/sync/index.ts': 31, // syncBooks, parkedSources: the sync's books opened by books.of (issue 85); the chunked loader and the sync's port types, for a kind's close in src/kinds; refusePastDays, for the queued sync
  // bankLegTerms (issue 41, the bank leg); importBankStatement, BankImportReport (issue 69: the lines, the opening
  // and the bank legs in one unit of work, in place of settleLandedLines); bankBalanceChecks: transit says a tie too.
  // StatementImporter, StatementImport, LandedFacts (issue 71): the port a bank-account kind's import implements.
  // transitBooks, TopUpFindings (issue 85): the transit's books, which the root and the callers open by `books.of`.
  'pipeline/transit/index.ts': 30, // bankLinesWithin: the transit's lines the sync's and the backfill's books read (issue 85); acknowledgementHistory, recordAcknowledgement, recordedBankDocuments: the words on items and the bank documents the reads' and the adjustments' books read and write, out of the store (issue 85)
  'queue/index.ts': 4,
  // linesInReach, LineReach (issue 41): the transit port reads only the bank lines some item could take.
  // BANK_LEG_PREFIX, bankLegEntry, isBankLegEntry (issue 41, the bank leg): the store reads, the transit books, the post skips them.
  'reads/finance-report/index.ts': 11,
  // certifiedTieOut (issue 42): the night re-verifies the closed periods at each destination without the whole tie-out.
  // fleetView, FleetViewSchema (issue 55, the fleet view): status --fleet's rows and their JSON's description.
  // renderReconcile, renderTieOutWith, renderTransit, renderBankLines, bankImportLine, sourceMoneyLines, renderBooked, syncOutcomeJson, syncOutcomeLines, renderBalances (issue 71 item 3): report text, out of the CLI; BalanceRow and BalancesReport no longer leave reads.
  'reads/index.ts': 52, // ledgerReads (issue 85): the reads' books object, which the commands open by `books.of(ledgerReads)`; mtdReturnBody, MTD_PERIOD_KEY, whoPaysWhom (issue 83: the return as HMRC takes it); exceptionFacts, ExceptionWord (issue 72: the queue's state); vatPeriod, vatReport, renderVatReport, vatReportCsv, returnToFile, VatReport, taxPerCode (issue 70); the silent-source finding, the fleet view's sort orders, the exception queue (issue 55)
  'rules/index.ts': 118, // EVENT_KINDS, REVERSED_FLOW, TRANSIT_EVENT_KINDS and BuiltInEventKind moved to the kinds' vocabularies (issue 85); centsApart: the cents a reclassification's pair leaves a running total apart, read by the ledger's append (issue 82); treatmentsOfBooked: entries booked before 0039 given their treatments (issue 82); ownRuleDeparture for doctor's reversal check (issue 83); codedByHand: adjust --tax (issue 82); numberedBankLeg and cancelledBankLegs: a bank leg read back as its item's (issue 82); the panel's and ad network's balance accounts moved to their kinds' rules (issue 71); OrderCorrection declared by the backfill's port (issue 71); StatementOpening (issue 71, from the bank kind's rules, for the transit's import port); the panel's rules and stored states moved to src/kinds/panel/rules; tax amounts (issue 54); silence (issue 55); REVERSED_FLOW, flowSides, reversalCoverage, tax booking, ORIGINAL_DATE_DETAIL, bookTax for adjusting entries (issue 70); each line's booked tax treatment and its columns, the correction's key, destination codes (issue 82)
  // bankLedgerAccounts (issue 41, the bank leg): doctor and the transit check each statement source's account in the chart.
  'sources/index.ts': 23,
  'sources/webhooks/index.ts': 24, // the webhook wire values and body reading, for a kind's webhook format and proxy
  // The engine's face to the books written over it (issue 85), each concept one name whose verbs read at the call
  // site: LedgerStore (open, openAt, restorePostgres, backupFileKind, identityOf, giveTreatmentsToEntriesBookedBefore,
  // openTables: the tests' door beneath the ports); the handle and the one way books are opened (StoreHandle, StoreTx,
  // BooksOf); queryBuilder and the row statements (statements.insert, .update, .ofRows, .boundTo, .onSqlite,
  // .rowsOfIds); the journal's two doors (journalBooksOver, journalReadsOver); the seals (seals.rows, .append,
  // .appendStaged, .head, .queries, .rowsQuery); the move between engines (ledgerMove.copyProvenBy, .sealMoved,
  // .Reads); who holds the ledger (locks.holdSources, .holdQueueSetup, .openSources, .openJobs, .liveness and their
  // types); the name order's locale (takeDefaultLocaleFrom: cli/start.ts takes it before any ledger is opened, so it
  // loads no opener). Besides, an alarm: three tables several use cases share that no one of them can hold without a
  // circle of imports (filed returns: the transit and the adjustments; the adjusting entries: the adjustments import
  // the reads, which read them; the deliveries: the post writes them, doctor and the reads read them).
  'store/index.ts': 15,
};

/** What the ceiling refuses: an index over its ceiling, one under it, one not in the table, a ceiling for an index that is gone. */
function exportCeilings(tree: readonly SourceFile[], ceilings: Readonly<Record<string, number>>): string[] {
  const known = new Map(tree.map((file) => [file.path, file]));
  const indexes = tree.filter((file) => file.path.endsWith('/index.ts')).map((file) => file.path);
  const problems = indexes.flatMap((path) => {
    const count = exportedNames(path, known).size;
    const ceiling = ceilings[path];
    if (ceiling === undefined)
      return [`${path} exports ${count} names and has no ceiling: add it to INDEX_EXPORT_CEILINGS at ${count}`];
    if (count > ceiling) return [`${path} exports ${count} names, over its ceiling of ${ceiling}: export fewer`];
    if (count < ceiling)
      return [`${path} exports ${count} names, under its ceiling of ${ceiling}: lower the ceiling to ${count}`];
    return [];
  });
  return [
    ...problems,
    ...Object.keys(ceilings)
      .filter((path) => !indexes.includes(path))
      .map((path) => `${path} is gone: remove it from INDEX_EXPORT_CEILINGS`),
  ];
}

describe('each index.ts names what it exports', () => {
  it('no area or use case index uses export *, but for the listed ones', () => {
    expect(files.filter((file) => mustNameItsExports(file.path)).length).toBeGreaterThan(10);
    expect(exportStarsInIndexes(files, EXPORT_STAR_EXCEPTIONS)).toEqual([]);
  });

  it('the rule catches a planted export *, and a listed index that no longer has one', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/index.ts',
        area: 'pipeline',
        text: "export * from './sync-night.js';\nexport { syncNight } from './sync-night.js';",
        imports: [],
      },
      {
        path: 'rules/index.ts',
        area: 'rules',
        text: "export * as journal from './journal/index.js';\nexport type * from './vocabulary.js';",
        imports: [],
      },
      { path: 'pipeline/landing/index.ts', area: 'pipeline', text: "export * from './raw-landing.js';", imports: [] },
      {
        path: 'pipeline/reports/index.ts',
        area: 'pipeline',
        text: "export { statusOf } from './status.js';",
        imports: [],
      },
      {
        path: 'pipeline/reports/finance-report/index.ts',
        area: 'pipeline',
        text: "export * from './finance-report-data.js';",
        imports: [],
      },
      { path: 'pipeline/sync/sync-night.ts', area: 'pipeline', text: "export * from './panel-close.js';", imports: [] },
    ];
    expect(exportStarsInIndexes(planted, ['pipeline/landing/index.ts', 'pipeline/reports/index.ts'])).toEqual([
      "pipeline/sync/index.ts: export * from './sync-night.js' (name the exports)",
      "rules/index.ts: export * from './vocabulary.js' (name the exports)",
      'pipeline/reports/index.ts has no export * now: remove it from EXPORT_STAR_EXCEPTIONS',
    ]);
  });
});

describe('each index.ts exports no more names than its ceiling, which only comes down', () => {
  it('every index.ts under src/ exports exactly its ceiling', () => {
    expect(exportCeilings(files, INDEX_EXPORT_CEILINGS)).toEqual([]);
  });

  it('the names are counted through every kind of export, export * followed to its target', () => {
    const planted: SourceFile[] = [
      {
        path: 'store/index.ts',
        area: 'store',
        text: [
          "export { openStore, type LedgerStore } from './ledger-store.js';",
          "export * from './schema.js';",
          "export * as rows from './rows.js';",
          'export const MAX = 1, [first, { second }] = pair;',
          'export function closeStore() {}',
          'export interface StoreOptions {}',
          'export default openStore;',
          "import { inner } from './inner.js';",
          'const local = 1;',
          'export { local as alias };',
        ].join('\n'),
        imports: [],
      },
      {
        path: 'store/schema.ts',
        area: 'store',
        text: "export type OrdersTable = {};\nexport enum Kind { A }\nexport default 1;\nexport * from './index.js';",
        imports: [],
      },
      { path: 'store/ledger-store.ts', area: 'store', text: 'export function openStore() {}', imports: [] },
    ];
    const known = new Map(planted.map((file) => [file.path, file]));
    expect([...exportedNames('store/index.ts', known)].sort()).toEqual(
      [
        'LedgerStore',
        'MAX',
        'OrdersTable',
        'Kind',
        'StoreOptions',
        'alias',
        'closeStore',
        'default',
        'first',
        'openStore',
        'rows',
        'second',
      ].sort(),
    );
  });

  it('the ceiling catches a planted index over it, one under it (saying what to lower it to), a new index and a gone one', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/index.ts',
        area: 'pipeline',
        text: "export { syncNight, syncOne } from './sync-night.js';",
        imports: [],
      },
      {
        path: 'pipeline/post/index.ts',
        area: 'pipeline',
        text: "export { postDays } from './post-days.js';",
        imports: [],
      },
      {
        path: 'pipeline/runs/index.ts',
        area: 'pipeline',
        text: "export { recordRun } from './recorded-run.js';",
        imports: [],
      },
      { path: 'pipeline/new-case/index.ts', area: 'pipeline', text: "export { a, b, c } from './a.js';", imports: [] },
    ];
    const ceilings = {
      'pipeline/sync/index.ts': 1,
      'pipeline/post/index.ts': 3,
      'pipeline/runs/index.ts': 1,
      'pipeline/gone/index.ts': 4,
    };
    expect(exportCeilings(planted, ceilings)).toEqual([
      'pipeline/sync/index.ts exports 2 names, over its ceiling of 1: export fewer',
      'pipeline/post/index.ts exports 1 names, under its ceiling of 3: lower the ceiling to 1',
      'pipeline/new-case/index.ts exports 3 names and has no ceiling: add it to INDEX_EXPORT_CEILINGS at 3',
      'pipeline/gone/index.ts is gone: remove it from INDEX_EXPORT_CEILINGS',
    ]);
  });
});
