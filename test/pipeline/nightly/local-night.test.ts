import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { loadConfig, loadMappings } from '../../../src/config/index.js';
import { createSystemClock } from '../../../src/http/clock.js';
import { createLogger } from '../../../src/log/logger.js';
import { Books } from '../../../src/app/index.js';
import { configKinds, destinationKinds, sourceKinds } from '../../../src/pipeline/kinds/index.js';
import { localNightSteps } from '../../../src/pipeline/nightly/local-night.js';
import { SECRETS, writeConfig } from '../../cli/post-cli-harness.js';
import { bookPayouts, OCTOBER_PAYOUTS } from '../transit-fixtures.js';
import { evidenceBooks } from '../../../src/pipeline/operations/index.js';
import { runRecords } from '../../../src/pipeline/runs/index.js';
import { evidenceAttachmentOutbox, postOutbox } from '../../../src/pipeline/post/index.js';
import { transitDocumentBooks } from '../../../src/app/post-side-parts.js';
import { syncBooks } from '../../../src/pipeline/sync/index.js';

/**
 * The scheduled night's post step creates the bank-side documents of the synced days' payouts, as `post` does:
 * a destination whose section says `transit.createBankDocuments: true` gets one BankTransaction per payout of those
 * days, none for a payout of another day.
 */
const PAYOUTS = OCTOBER_PAYOUTS;

describe("the night's post step and the bank-side documents", () => {
  let xero: RunningXeroFake;
  let dir: string;

  beforeAll(async () => {
    xero = await startXeroFake({ clientId: SECRETS.XERO_CLIENT_ID, clientSecret: SECRETS.XERO_CLIENT_SECRET });
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-local-night-'));
    writeConfig(dir, { xero }, '    transit: { createBankDocuments: true, bankAccount: "090" }\n');
    await bookPayouts(dir, PAYOUTS);
  });
  afterAll(async () => {
    await xero.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the bank transaction of the synced day's payout and logs how many, leaving the other day's payout to its own post", async () => {
    const config = loadConfig({
      cwd: dir,
      env: { ...SECRETS },
      kinds: configKinds(),
      need: { destinations: ['xero'] },
    });
    const mappings = loadMappings({
      chartPath: config.mappings,
      destinations: destinationKinds
        .withApi()
        .flatMap((kind) => (kind.name === 'xero' && kind.mapping ? [kind.mapping] : [])),
    });
    const books = await Books.open(config);
    const lines: string[] = [];
    try {
      const steps = localNightSteps({
        config,
        mappings,
        ledger: books.ledger,
        runs: books.of(runRecords),
        syncBooks: books.of(syncBooks),
        sourceKinds: sourceKinds.forSync(),
        now: () => new Date(),
        clock: createSystemClock(),
        redact: (text) => text,
        onSecrets: () => undefined,
        postDestination: (name) => destinationKinds.postDestination(name)!,
        evidenceBooks: books.of(evidenceBooks),
        postOutbox: (destination) => books.of(postOutbox, destination),
        transitDocuments: (destination) => transitDocumentBooks(books, config, destination),
        evidenceAttachments: (destination) => books.of(evidenceAttachmentOutbox, destination),
      });
      const logger = createLogger({
        format: 'text',
        level: 'info',
        write: (line) => lines.push(line),
        redact: (text) => text,
        clock: () => new Date(),
        color: false,
      });
      const result = await steps.postDays({
        destination: 'xero',
        days: ['2026-10-30'],
        runId: 'run-1',
        logger,
        stopSignal: new AbortController().signal,
        onProgress: async () => undefined,
      });
      expect(result.exitCode).toBe(0);
    } finally {
      await books.close();
    }
    expect(
      xero.fake
        .bankTransactions()
        .map((transaction) => [
          transaction.reference,
          transaction.date,
          transaction.type,
          transaction.lines[0]?.accountCode,
          transaction.bankAccount.code,
        ]),
    ).toEqual([[PAYOUTS[1]!.id, '2026-10-30', 'RECEIVE', '631', '090']]);
    expect(lines.join('\n')).toContain('Xero bank-side documents: 1 created, 0 found by their reference, 0 left open');
  });
});
