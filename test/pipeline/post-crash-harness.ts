import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SandboxMount } from '../../sandbox/mount.js';
import { createQuickBooksFake, quickBooksFakeUrls } from '../../sandbox/quickbooks/fake.js';
import { createXeroFake, xeroFakeUrls } from '../../sandbox/xero/fake.js';
import { serveMountOnLoopback } from '../../sandbox/fake-kit/index.js';
import { bookEntries, runCli, SECRETS, writeConfig, type CliRun } from '../cli/post-cli-harness.js';
import { entryId, shippedChartsForFakes, spendEntry } from './post-fixtures.js';
import { deliveryStates, openLedgerBooks } from './post-books.js';
import { bookPayouts, payoutEntry, type TestPayout } from './transit-fixtures.js';

/**
 * Crash safety, as a user would meet it: the real CLI killed with SIGKILL at
 * chosen moments while a fake in this process watches its requests, then run
 * again. Kill moments come from a seeded random draw, so a failure repeats.
 */

/** `document`: the create of a bank-side document (a Xero BankTransaction, a QuickBooks Transfer); `attachment`: an evidence file's upload. */
export type RequestClass = 'token' | 'read' | 'write' | 'document' | 'attachment';

/** When to kill: on the n-th request of a class (as it arrives, or once its reply went out), or after a delay from spawn. */
export type KillPlan =
  | {
      kind: 'request';
      requestClass: RequestClass;
      nth: number;
      phase: 'arrival' | 'replied';
      delayMs: number;
      expireTokensFirst: boolean;
    }
  | { kind: 'time'; afterMs: number; expireTokensFirst: boolean };

/** mulberry32: a small seeded generator; the same seed draws the same kill moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The moments cycle through every kind, so each seed covers them all: a write
 * as it arrives (the destination stores it while the process dies) and just
 * after its reply (the process may or may not have recorded it), a token
 * request (a rotated refresh token in flight), a read (the lock date or a
 * look-up), and a plain delay from spawn (start-up, database work). Each kind
 * comes once in the first five (npm test's five kills), the writes, where
 * duplicates are made, once more in the last two; then a bank-side document's create as it arrives and just after
 * its reply (between the request and the record of its id: the next run must find it by its reference).
 */
const KILL_CYCLE = [
  'write-arrival',
  'write-replied',
  'token',
  'read',
  'time',
  'write-arrival',
  'write-replied',
  'document-arrival',
  'document-replied',
] as const;

export function drawKillPlan(random: () => number, writesPerRun: number, index: number): KillPlan {
  const kind = KILL_CYCLE[index % KILL_CYCLE.length]!;
  const expireTokensFirst = kind === 'token' || random() < 0.2;
  const phase = random() < 0.5 ? ('arrival' as const) : ('replied' as const);
  switch (kind) {
    case 'time':
      return { kind: 'time', afterMs: 300 + Math.floor(random() * 2200), expireTokensFirst };
    case 'token':
      return {
        kind: 'request',
        requestClass: 'token',
        nth: 1,
        phase,
        delayMs: Math.floor(random() * 5),
        expireTokensFirst,
      };
    case 'read':
      return {
        kind: 'request',
        requestClass: 'read',
        nth: 1,
        phase,
        delayMs: Math.floor(random() * 10),
        expireTokensFirst,
      };
    case 'document-arrival':
    case 'document-replied':
      return {
        kind: 'request',
        requestClass: 'document',
        nth: 1,
        phase: kind === 'document-arrival' ? 'arrival' : 'replied',
        delayMs: Math.floor(random() * 5),
        expireTokensFirst,
      };
    case 'write-arrival':
    case 'write-replied':
      return {
        kind: 'request',
        requestClass: 'write',
        nth: 1 + Math.floor(random() * writesPerRun),
        phase: kind === 'write-arrival' ? 'arrival' : 'replied',
        delayMs: Math.floor(random() * 15),
        expireTokensFirst,
      };
  }
}

/**
 * After the planned kills, a kill of a kind no kill fired at yet: a delay from spawn comes early (100 to 500 ms,
 * during start-up), since a short post can end before a later one, which then fires nothing however often it is drawn.
 */
function drawMissingKill(
  random: () => number,
  writesPerRun: number,
  missing: readonly string[],
  index: number,
): KillPlan {
  if (missing.includes('time'))
    return { kind: 'time', afterMs: 100 + Math.floor(random() * 400), expireTokensFirst: false };
  if (missing.includes('document'))
    return drawKillPlan(
      random,
      writesPerRun,
      KILL_CYCLE.indexOf(random() < 0.5 ? 'document-arrival' : 'document-replied'),
    );
  return drawKillPlan(random, writesPerRun, index);
}

export interface WatchedFake {
  origin: string;
  /** Requests of a class that arrived, by path, over every run: an upload sent twice shows as 2. */
  arrivals(requestClass: RequestClass): Record<string, number>;
  /** Arms the next kill; returns a function that says whether it fired. */
  arm(plan: KillPlan, child: () => ChildProcess | undefined): () => boolean;
  close(): Promise<void>;
}

/** Serves `mount` on 127.0.0.1 with every request classified and counted, so a kill can be timed to one. */
export async function watchFake(
  mount: SandboxMount,
  classify: (method: string, subPath: string) => RequestClass,
): Promise<WatchedFake> {
  let armed:
    | { plan: Extract<KillPlan, { kind: 'request' }>; counts: Record<RequestClass, number>; kill: () => void }
    | undefined;
  const arrived = new Map<RequestClass, Record<string, number>>();
  const observe = (requestClass: RequestClass, phase: 'arrival' | 'replied', nth: number): void => {
    if (!armed || armed.plan.requestClass !== requestClass || armed.plan.phase !== phase || armed.plan.nth !== nth)
      return;
    const { kill, plan } = armed;
    armed = undefined;
    setTimeout(kill, plan.delayMs);
  };
  const watched: SandboxMount = {
    prefix: mount.prefix,
    async handle(request, response, subPath, body) {
      const requestClass = classify((request.method ?? 'GET').toUpperCase(), subPath);
      const counts = armed?.counts;
      const nth = counts ? (counts[requestClass] += 1) : 0;
      const byPath = arrived.get(requestClass) ?? {};
      byPath[subPath] = (byPath[subPath] ?? 0) + 1;
      arrived.set(requestClass, byPath);
      observe(requestClass, 'arrival', nth);
      try {
        await mount.handle(request, response, subPath, body);
      } finally {
        observe(requestClass, 'replied', nth);
      }
    },
  };
  const server = await serveMountOnLoopback(watched);
  return {
    origin: server.origin,
    close: server.close,
    arrivals: (requestClass) => ({ ...arrived.get(requestClass) }),
    arm(plan, child) {
      let fired = false;
      const kill = (): void => {
        const target = child();
        if (target && target.exitCode === null && target.signalCode === null) {
          fired = target.kill('SIGKILL');
        }
      };
      if (plan.kind === 'time') {
        const timer = setTimeout(kill, plan.afterMs);
        timer.unref();
      } else {
        armed = { plan, counts: { token: 0, read: 0, write: 0, document: 0, attachment: 0 }, kill };
      }
      return () => {
        armed = undefined;
        return fired;
      };
    },
  };
}

export interface CrashScenario {
  destination: 'xero' | 'quickbooks';
  dir: string;
  /** The PostgreSQL ledger's URL; undefined for the SQLite file in dir/data. */
  ledgerUrl: string | undefined;
  configPath: string;
  entriesPerRound: number;
  writesPerRun: number;
  watched: WatchedFake;
  expireAccessTokens(): void;
  /** How many copies the destination holds per entry id. */
  copiesByEntry(): Record<string, number>;
  /** How many bank-side documents the destination holds per payout id. */
  documentsByPayout(): Record<string, number>;
  /** How many evidence files the destination holds per journal, and how many uploads of each file arrived (with `evidence: attach`). */
  attachmentsByJournal(): Record<string, number>;
  uploadsByFile(): Record<string, number>;
}

export interface CrashOutcome {
  kills: number;
  runs: number;
  /** Journal entries booked: the spend entries and the payouts' entries. */
  booked: number;
  /** What each kill was timed to: "write/arrival", "token/replied", "time", … */
  fired: string[];
}

/**
 * Rounds of: book new entries, start `post`, kill it at the drawn moment;
 * after every `completeEvery` kills, and at the end, a run left alone must
 * finish (exit 0) with every entry held exactly once and marked posted. A
 * duplicate can never disappear, so checking after every run that no entry is
 * held twice catches one the moment it is made.
 */
export async function runCrashRounds(
  scenario: CrashScenario,
  options: { seed: number; kills: number; completeEvery: number; moments?: readonly KillMoment[] },
): Promise<CrashOutcome> {
  const missing = (fired: readonly string[]): string[] => missingMoments(fired, options.moments);
  const random = seededRandom(options.seed);
  const plans: KillPlan[] = [];
  const fired: string[] = [];
  let booked = 0;
  const payouts: TestPayout[] = [];
  let kills = 0;
  let runs = 0;
  const post = (onSpawn?: (child: ChildProcess) => void): Promise<CliRun> => {
    runs += 1;
    return runCli(['post', scenario.destination, '--config', scenario.configPath, '--log-level', 'warn'], {
      cwd: scenario.dir,
      timeoutMs: 30_000,
      ...(onSpawn ? { onSpawn } : {}),
    });
  };
  const bookRound = async (): Promise<void> => {
    const round = Array.from({ length: scenario.entriesPerRound }, (_, index) =>
      spendEntry(booked + index + 1, `2024-02-${String(((booked + index) % 28) + 1).padStart(2, '0')}`),
    );
    await bookEntries(scenario.dir, round, scenario.ledgerUrl);
    booked += round.length;
    // And a payout each round, moved to its clearing account: its bank-side document is created after the journals.
    const payout = {
      id: `payelancer:ads-publisher:payout:round-${payouts.length + 1}`,
      date: `2024-02-${String((payouts.length % 28) + 1).padStart(2, '0')}`,
      micros: 50_000_000n + BigInt(payouts.length) * 10_000n,
    };
    await bookPayouts(scenario.dir, [payout], scenario.ledgerUrl);
    payouts.push(payout);
  };
  const entryIds = (): string[] =>
    [
      ...Array.from({ length: booked }, (_, index) => entryId(index + 1)),
      ...payouts.map((payout) => payoutEntry(payout).id),
    ].sort();
  const expectNoDuplicate = (): void => {
    const duplicated = Object.entries(scenario.copiesByEntry()).filter(([, copies]) => copies > 1);
    expect(duplicated, `entries held more than once after run ${runs}`).toEqual([]);
    const twice = Object.entries(scenario.documentsByPayout()).filter(([, copies]) => copies > 1);
    expect(twice, `payouts with more than one bank-side document after run ${runs}`).toEqual([]);
  };
  const expectComplete = async (run: CliRun): Promise<void> => {
    // The only warning a run after a kill may print: it took the killed run's lock over.
    const warnings = run.stderr
      .split('\n')
      .filter((line) => line !== '' && !line.includes('took over the ledger from run'));
    expect({ code: run.code, warnings }).toEqual({ code: 0, warnings: [] });
    const all = entryIds();
    expect(scenario.copiesByEntry()).toEqual(Object.fromEntries(all.map((id) => [id, 1])));
    expect(scenario.documentsByPayout()).toEqual(Object.fromEntries(payouts.map((payout) => [payout.id, 1])));
    const books = await openLedgerBooks(join(scenario.dir, 'data'), scenario.ledgerUrl);
    try {
      expect(await deliveryStates(books, scenario.destination)).toEqual(
        Object.fromEntries(all.map((id) => [id, 'posted'])),
      );
    } finally {
      await books.close();
    }
  };

  // A kill timed too late (the run had ended) fires nothing: a few more rounds, if need be, until every kind of moment was hit.
  while (kills < options.kills || (missing(fired).length > 0 && kills < 2 * options.kills)) {
    await bookRound();
    const plan =
      kills < options.kills
        ? drawKillPlan(random, scenario.writesPerRun, plans.length)
        : drawMissingKill(random, scenario.writesPerRun, missing(fired), plans.length);
    plans.push(plan);
    if (plan.expireTokensFirst) scenario.expireAccessTokens();
    let child: ChildProcess | undefined;
    const disarm = scenario.watched.arm(plan, () => child);
    await post((spawned) => {
      child = spawned;
    });
    const killed = disarm();
    if (killed) {
      kills += 1;
      fired.push(plan.kind === 'time' ? 'time' : `${plan.requestClass}/${plan.phase}`);
    }
    expectNoDuplicate();
    if (killed && kills % options.completeEvery === 0 && kills < options.kills) await expectComplete(await post());
  }
  await expectComplete(await post());
  return { kills, runs, booked: entryIds().length, fired };
}

/** Entry id → copies, read from the "[entry id]" that ends a narration or PrivateNote (a Transfer's: its payout's id). */
function copies(texts: readonly (string | undefined)[]): Record<string, number> {
  return countedBy(texts.map((text) => /\[([^\]]+)\]$/.exec(text ?? '')?.[1] ?? '?'));
}

function countedBy(keys: readonly string[]): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const key of keys) counted[key] = (counted[key] ?? 0) + 1;
  return counted;
}

/** The destination's section asks for the payouts' bank-side documents, to this bank account. */
const TRANSIT_DOCUMENTS = (bankAccount: string) =>
  `    transit: { createBankDocuments: true, bankAccount: "${bankAccount}" }\n`;

/** With `evidence: attach`, each posted journal's evidence file is uploaded after the journals. */
const EVIDENCE_ATTACHED = '    evidence: attach\n';

/** A Xero fake (limits raised: throttling has its own tests), watched, and a configuration in `dir` pointing at it (and at `ledgerUrl`, if given). */
export async function xeroCrashScenario(
  dir: string,
  ledgerUrl?: string,
  options: { evidence?: boolean } = {},
): Promise<CrashScenario & { journals: () => number }> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const fake = createXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    // The payouts' bank transactions are received into the business bank (090), coded to their clearing account (631, a current asset).
    accounts: [
      ...shippedChartsForFakes().xero,
      { code: '090', name: 'Business Bank Account', type: 'BANK', status: 'ACTIVE', taxType: 'NONE' },
    ],
    limits: { perMinute: 100_000, perDay: 1_000_000 },
  });
  const isWrite = (method: string) => method === 'PUT' || method === 'POST';
  const watched = await watchFake(fake, (method, subPath) =>
    subPath === '/connect/token'
      ? 'token'
      : /manualjournals\/?$/i.test(subPath) && isWrite(method)
        ? 'write'
        : /manualjournals\/[^/]+\/attachments\/[^/]+$/i.test(subPath) && isWrite(method)
          ? 'attachment'
          : /banktransactions\/?$/i.test(subPath) && isWrite(method)
            ? 'document'
            : 'read',
  );
  const configPath = writeConfig(
    dir,
    { xero: { fake, ...xeroFakeUrls(watched.origin), origin: watched.origin, close: watched.close } },
    TRANSIT_DOCUMENTS('090') + (options.evidence ? EVIDENCE_ATTACHED : ''),
    ledgerUrl,
  );
  return {
    destination: 'xero',
    dir,
    ledgerUrl,
    configPath,
    entriesPerRound: 60,
    writesPerRun: 2,
    watched,
    expireAccessTokens: () => fake.expireAccessTokens(),
    copiesByEntry: () => copies(fake.journals().map((journal) => journal.narration)),
    documentsByPayout: () => countedBy(fake.bankTransactions().map((transaction) => transaction.reference ?? '?')),
    attachmentsByJournal: () => countedBy(fake.attachments().map((attachment) => attachment.manualJournalId)),
    uploadsByFile: () => watched.arrivals('attachment'),
    journals: () => fake.journals().length,
  };
}

/**
 * A QuickBooks fake, watched, and a configuration pointing at it. Intuit's
 * 24-hour grace for a replaced refresh token is kept: it is what lets a run
 * killed right after a rotation recover with the token it still has.
 */
export async function quickbooksCrashScenario(
  dir: string,
  ledgerUrl?: string,
  options: { evidence?: boolean } = {},
): Promise<CrashScenario & { journals: () => number }> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const fake = createQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    accounts: [
      ...shippedChartsForFakes().quickbooks,
      {
        id: '90',
        name: 'Business Bank',
        accountType: 'Bank',
        accountSubType: 'Checking',
        classification: 'Asset',
        active: true,
      },
    ],
    limits: { perMinute: 100_000, batchPerMinute: 100_000 },
  });
  const watched = await watchFake(fake, (method, subPath) =>
    subPath === '/oauth2/v1/tokens/bearer'
      ? 'token'
      : method === 'POST' && /\/(batch|journalentry)$/.test(subPath)
        ? 'write'
        : method === 'POST' && /\/transfer$/.test(subPath)
          ? 'document'
          : method === 'POST' && /\/upload$/.test(subPath)
            ? 'attachment'
            : 'read',
  );
  const configPath = writeConfig(
    dir,
    { quickbooks: { fake, ...quickBooksFakeUrls(watched.origin), origin: watched.origin, close: watched.close } },
    TRANSIT_DOCUMENTS('90') + (options.evidence ? EVIDENCE_ATTACHED : ''),
    ledgerUrl,
  );
  return {
    destination: 'quickbooks',
    dir,
    ledgerUrl,
    configPath,
    entriesPerRound: 45,
    writesPerRun: 2,
    watched,
    expireAccessTokens: () => fake.expireAccessTokens(),
    copiesByEntry: () => copies(fake.journalEntries().map((journal) => journal.privateNote)),
    documentsByPayout: () => copies(fake.transfers().map((transfer) => transfer.privateNote)),
    attachmentsByJournal: () => countedBy(fake.attachables().map((attachable) => attachable.entityId)),
    // One upload path for every file: the Attachables a journal holds are the uploads that landed.
    uploadsByFile: () => countedBy(fake.attachables().map((attachable) => attachable.fileName)),
    journals: () => fake.journalEntries().length,
  };
}

/** Every kind of kill moment: a write as it arrived and after its reply, a token request, a read, a delay from spawn, a bank-side document. */
export const EVERY_MOMENT = ['write/arrival', 'write/replied', 'token', 'read', 'time', 'document'] as const;
export type KillMoment = (typeof EVERY_MOMENT)[number];

/**
 * The moments after which the ledger's store must tell what the destination holds: a write whose outcome it has not
 * committed (its 'sending' row, the same whether the kill came as the write arrived or once it replied: the SQLite
 * rounds tell those two apart at the destination) and a bank-side document (its id not yet recorded). A token, a read
 * and a delay from spawn are the same conversation on either engine (tokens live in files, not in the ledger).
 */
export const STORE_MOMENTS: readonly KillMoment[] = ['write/arrival', 'document'];

/** The kinds of moment (of `moments`, every kind unless given) no kill in `fired` was timed to yet. */
function missingMoments(fired: readonly string[], moments: readonly KillMoment[] = EVERY_MOMENT): string[] {
  const hit = new Set(fired.map((moment) => (moment.startsWith('write/') ? moment : moment.split('/')[0])));
  return moments.filter((moment) => !hit.has(moment));
}

/** At least `kills` kills, and among them every kind of moment of `moments` (every kind unless given). */
export function expectEveryMomentHit(
  outcome: CrashOutcome,
  kills: number,
  moments: readonly KillMoment[] = EVERY_MOMENT,
): void {
  console.info(`kill moments: ${outcome.fired.join(', ')} (${outcome.runs} posts)`);
  expect(outcome.kills).toBeGreaterThanOrEqual(kills);
  expect(missingMoments(outcome.fired, moments), outcome.fired.join(', ')).toEqual([]);
}

/**
 * Evidence attached exactly once under kill -9: rounds of a few entries posted with `evidence: attach`, each run
 * killed as the n-th evidence upload arrives or once its reply went out (before its id is recorded), alternately
 * (or in the turn of `phases`);
 * then a run left alone. Every posted journal must hold one evidence file, and no file may have been uploaded
 * twice: the run after a kill looks the journal's attachments up before it sends.
 */
export async function runAttachmentKills(
  scenario: CrashScenario,
  options: { seed: number; kills: number; entriesPerRound: number; phases?: readonly ('arrival' | 'replied')[] },
): Promise<{ kills: number; journals: number }> {
  const phases = options.phases ?? ['arrival', 'replied'];
  const random = seededRandom(options.seed);
  let booked = 0;
  let kills = 0;
  const post = (onSpawn?: (child: ChildProcess) => void): Promise<CliRun> =>
    runCli(['post', scenario.destination, '--config', scenario.configPath, '--log-level', 'warn'], {
      cwd: scenario.dir,
      timeoutMs: 30_000,
      ...(onSpawn ? { onSpawn } : {}),
    });
  for (let round = 0; kills < options.kills && round < 2 * options.kills; round += 1) {
    const entries = Array.from({ length: options.entriesPerRound }, (_, index) =>
      spendEntry(booked + index + 1, `2024-02-${String(((booked + index) % 28) + 1).padStart(2, '0')}`),
    );
    await bookEntries(scenario.dir, entries, scenario.ledgerUrl);
    booked += entries.length;
    const plan: KillPlan = {
      kind: 'request',
      requestClass: 'attachment',
      nth: 1 + Math.floor(random() * options.entriesPerRound),
      phase: phases[round % phases.length]!,
      delayMs: Math.floor(random() * 5),
      expireTokensFirst: false,
    };
    let child: ChildProcess | undefined;
    const disarm = scenario.watched.arm(plan, () => child);
    await post((spawned) => {
      child = spawned;
    });
    if (disarm()) kills += 1;
    expect(
      Object.entries(scenario.uploadsByFile()).filter(([, uploads]) => uploads > 1),
      `evidence uploaded twice after round ${round + 1}`,
    ).toEqual([]);
  }
  const last = await post();
  expect({
    code: last.code,
    stderr: last.stderr.split('\n').filter((line) => line !== '' && !line.includes('took over the ledger from run')),
  }).toEqual({ code: 0, stderr: [] });
  const held = scenario.attachmentsByJournal();
  expect(
    Object.values(held).filter((files) => files !== 1),
    'journals holding other than one evidence file',
  ).toEqual([]);
  expect(Object.keys(held)).toHaveLength(booked);
  expect(Object.values(scenario.uploadsByFile()).every((uploads) => uploads === 1)).toBe(true);
  return { kills, journals: booked };
}
