import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, startSandbox, type DestinationFakes } from '../../sandbox/index.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { builtWorld } from '../support/built-worlds.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { FIVE_DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { setSandboxDay, type Workspace } from './scenario-harness.js';

const engines = useLedgerEngines();

interface TieOutJson {
  clean: boolean;
  items: { kind: string; ref: string; remoteId?: string; message: string }[];
}

/** Debit and credit lines of a journal, the first of each grown by 1.00: an edit that keeps the journal balanced. */
function grown<T extends { cents: bigint }>(lines: readonly T[], isDebit: (line: T) => boolean): T[] {
  const firstDebit = lines.find(isDebit);
  const firstCredit = lines.find((line) => !isDebit(line));
  return lines.map((line) =>
    line === firstDebit || line === firstCredit
      ? { ...line, cents: line.cents + (line.cents < 0n ? -100n : 100n) }
      : line,
  );
}

/**
 * Issue 52, item 1: the sandbox flow over the March month end (the five days synced with the orders file, copied
 * from the run's synced world), posted to the Xero and QuickBooks fakes, locked at both and closed. On 03-31 the
 * panel's entry debits and credits panel_prepaid (R-2's refund beside R-3's charge), which both destinations hold
 * netted on one account: right after the close neither reads as changed; an edit at each fake is named, alone.
 */
describe.each(LEDGER_ENGINES)(
  'March closed after the sandbox flow, read back from both fakes (%s)',
  { timeout: 180_000 },
  (engine) => {
    let sandbox: RunningSandbox;
    let fakes: DestinationFakes;
    let workspace: Workspace;
    let certificateSha256: string;

    beforeAll(async () => {
      fakes = createDestinationFakes();
      sandbox = await startSandbox({ port: 0, script, extraMounts: [fakes.xero, fakes.quickbooks] });
      await setSandboxDay(sandbox, FIVE_DAYS.at(-1)!);
      workspace = (await builtWorld({ name: 'synced', script, days: FIVE_DAYS })).copyFor(
        sandbox,
        `closed-march-${engine}`,
      );
      const url = await engines.fresh(engine);
      if (url !== undefined) {
        const moved = await workspace.run(['migrate', '--to', url]);
        expect(moved.code, moved.stderr).toBe(0);
        const config = join(workspace.dir, 'ledgerline.yaml');
        writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, `ledger: ${url}`));
      }
      const config = join(workspace.dir, 'ledgerline.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace(/^ {2}# command: .*$/m, '  command: "cat > alert-$$.json"'),
      );
      const accepted = await workspace.run([
        'transit',
        'accept',
        'payelancer:ads-publisher:payout:2026-03-31',
        '--note',
        'in the bank on 04-02',
      ]);
      expect(accepted.code, accepted.stderr).toBe(0);
      for (const destination of ['xero', 'quickbooks']) {
        const posted = await workspace.run(['post', destination]);
        expect(posted.code, posted.stderr + posted.stdout).toBe(0);
      }
      fakes.xero.setLockDates({ periodLockDate: '2026-03-31' });
      fakes.quickbooks.setBookCloseDate('2026-03-31');
      const closed = await workspace.run(['close', '--period', '2026-03', '--json']);
      expect(closed.code, closed.stdout + closed.stderr).toBe(0);
      ({ certificateSha256 } = JSON.parse(closed.stdout) as { certificateSha256: string });
    }, 180_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    const tieOut = async (destination: string): Promise<{ code: number | null; report: TieOutJson }> => {
      const run = await workspace.run(['reconcile', '--with', destination, '--json']);
      return { code: run.code, report: JSON.parse(run.stdout) as TieOutJson };
    };

    it('reports no change at either fake right after the close, the refund day included', async () => {
      for (const destination of ['xero', 'quickbooks']) {
        const { code, report } = await tieOut(destination);
        expect(report.items, destination).toEqual([]);
        expect(code).toBe(0);
      }
    });

    it('names the journal edited at Xero, and only it, then the one edited at QuickBooks, and only it', async () => {
      const atXero = fakes.xero.journals().find((journal) => journal.narration.endsWith('[je:smm-panel:2026-03-31]'))!;
      fakes.xero.editJournal(atXero.manualJournalId, { lines: grown(atXero.lines, (line) => line.cents > 0n) });
      const xero = await tieOut('xero');
      expect(xero.code).toBe(1);
      expect(
        xero.report.items
          .filter((item) => item.kind === 'closed_period_changed_at_destination')
          .map((item) => item.message),
      ).toEqual([
        expect.stringMatching(
          new RegExp(
            `^closed period 2026-03 \\(certificate sha256:${certificateSha256}\\): Xero journal ${atXero.manualJournalId} for entry je:smm-panel:2026-03-31 \\(2026-03-31\\) was edited behind the lock: certified debit (\\S+) credit \\1 USD, now debit (\\S+) credit \\2 USD$`,
          ),
        ),
      ]);
      // The tie-out of every posted journal names the same one, and the accounts it moved, nothing else.
      expect(
        new Set(
          xero.report.items.filter((item) => item.kind !== 'destination_balance_mismatch').map((item) => item.remoteId),
        ),
      ).toEqual(new Set([atXero.manualJournalId]));

      const atQuickBooks = fakes.quickbooks
        .journalEntries()
        .find((entry) => entry.privateNote?.endsWith('[je:ads-publisher:2026-03-31]'))!;
      fakes.quickbooks.editJournalEntry(
        atQuickBooks.id,
        grown(atQuickBooks.lines, (line) => line.postingType === 'Debit'),
      );
      const quickbooks = await tieOut('quickbooks');
      expect(quickbooks.code).toBe(1);
      expect(
        quickbooks.report.items
          .filter((item) => item.kind === 'closed_period_changed_at_destination')
          .map((item) => [item.ref, item.remoteId]),
      ).toEqual([['je:ads-publisher:2026-03-31', atQuickBooks.id]]);
      expect(
        new Set(
          quickbooks.report.items
            .filter((item) => item.kind !== 'destination_balance_mismatch')
            .map((item) => item.remoteId),
        ),
      ).toEqual(new Set([atQuickBooks.id]));
    });

    /** One night (`schedule --once`): its exit code and every alert it sent (the alert files are then removed). */
    const night = async (): Promise<{
      code: number | null;
      runId: string;
      alerts: {
        kind: string;
        text: string;
        chainHead?: { entryId: string; hash: string };
        items: { kind: string; message: string }[];
      }[];
    }> => {
      const run = await workspace.run(['schedule', '--once']);
      const runId = spawnSync(
        'sqlite3',
        [workspace.ledgerPath, "SELECT id FROM runs WHERE command = 'schedule' ORDER BY started_at DESC LIMIT 1"],
        { encoding: 'utf8' },
      ).stdout.trim();
      const files = readdirSync(workspace.dir).filter((name) => name.startsWith('alert-'));
      const alerts = files.map((name) => JSON.parse(readFileSync(join(workspace.dir, name), 'utf8')));
      for (const name of files) rmSync(join(workspace.dir, name));
      return { code: run.code, runId, alerts };
    };

    it.skipIf(engine !== 'sqlite')(
      "names the newest entry deleted behind the database's back at the next reconcile --with xero and the next night",
      async () => {
        const adjusted = await workspace.run([
          'adjust',
          '--date',
          '2026-04-02',
          '--debit',
          'smm_services_expense=0.50',
          '--credit',
          'panel_prepaid=0.50',
          '--reason',
          'a refund learned late',
          '--json',
        ]);
        expect(adjusted.code, adjusted.stderr).toBe(0);
        const newest = (JSON.parse(adjusted.stdout) as { entryId: string }).entryId;
        expect((await workspace.run(['post', 'xero'])).code).toBe(0);
        const recorded = await night();
        const journal = fakes.xero.journals().find((candidate) => candidate.narration.endsWith(`[${newest}]`))!;
        const chainHash = /chain sha256:([0-9a-f]{64})/.exec(journal.narration)![1]!;
        // The night's alert and its run record carry the head: in full for a script, shortened in the text for a person.
        expect(recorded.alerts.map((alert) => alert.chainHead)).toEqual([{ entryId: newest, hash: chainHash }]);
        expect(recorded.alerts[0]!.text).toContain(`\nchain head ${newest} sha256:${chainHash.slice(0, 12)}…`);
        const summary = spawnSync(
          'sqlite3',
          [
            workspace.ledgerPath,
            "SELECT summary FROM runs WHERE command = 'schedule' ORDER BY started_at DESC LIMIT 1",
          ],
          { encoding: 'utf8' },
        );
        expect(JSON.parse(summary.stdout).chainHead).toEqual({ entryId: newest, hash: chainHash });

        // A person with the sqlite3 shell: the refusals of deletes dropped, the newest entry and its delivery deleted.
        const sql = [
          'DROP TRIGGER journal_entries_no_delete; DROP TRIGGER journal_lines_no_delete; DROP TRIGGER rendered_lines_no_delete;',
          ...['journal_lines', 'rendered_lines', 'deliveries'].map(
            (table) => `DELETE FROM ${table} WHERE entry_id = '${newest}';`,
          ),
          `DELETE FROM journal_entries WHERE id = '${newest}';`,
        ].join('\n');
        const shell = spawnSync('sqlite3', [workspace.ledgerPath], { input: sql, encoding: 'utf8' });
        expect(shell.status, shell.stderr).toBe(0);
        // The newest entry is an adjusting entry, whose record the row seals keep: verify names it missing too. An entry
        // without such a record (a night's) leaves only the witnesses below, which name it whatever verify says.
        const verified = await workspace.run(['verify']);
        expect([verified.code, verified.stdout]).toEqual([
          1,
          expect.stringContaining(`entry_missing: journal entry ${newest} is missing`),
        ]);
        // verify reads the heads the nights recorded, and the witness file off the ledger's folder (issue 73).
        expect(verified.stdout).toContain(`! chain_head_lost: the chain head the night of 2026-04-02 recorded`);
        expect(verified.stdout).toMatch(
          new RegExp(
            `! ledger_older_than_witnessed: the books are older than what was witnessed on \\S+ at position \\d+ \\(entry ${newest},`,
          ),
        );

        const { code, report } = await tieOut('xero');
        expect(code).toBe(1);
        expect(
          report.items.filter((item) => item.kind === 'chain_witness_differs').map((item) => item.message),
        ).toEqual([
          `Xero journal ${journal.manualJournalId} carries entry ${newest} at chain sha256:${chainHash}, which the ledger no longer holds: the ledger was changed behind its back after it was posted; run ledgerline verify and restore the ledger from a backup`,
        ]);
        const lost = `the chain head the night of 2026-04-02 recorded (run ${recorded.runId}), entry ${newest} at sha256:${chainHash}, is no longer in the ledger: entries were removed or rewritten behind the ledger's back`;
        const next = await night();
        expect(next.code).toBe(1);
        expect(
          next.alerts
            .flatMap((alert) => alert.items)
            .filter((item) => item.kind === 'chain_head_lost')
            .map((item) => item.message),
        ).toEqual([lost]);
        // Alerted once; the night still exits 1 while the ledger lacks the entry.
        const after = await night();
        expect([
          after.code,
          after.alerts.flatMap((alert) => alert.items).filter((item) => item.kind === 'chain_head_lost'),
        ]).toEqual([1, []]);
      },
    );
  },
);
