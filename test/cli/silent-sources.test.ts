import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { ExceptionQueueSchema, FleetViewSchema } from '../../src/reads/index.js';
import { runLedgerline } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { reply, startLocalServer, type LocalServer } from '../http/local-server.js';
import { serveInProcess } from '../support/serve-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-silent-sources-');

interface ReceivedAlert {
  kind: string;
  items: { subject: string; kind: string; message: string; nextStep: string }[];
}

/**
 * The fleet sandbox (3 panels, 2 publisher accounts: panel-02 and publisher-02 send nothing new from the world's
 * third day, 2026-03-03; panel-03 answers 502) synced night after night through the built CLI, with the default
 * monitor.silentAfterDays of 3. One world for the file: five nights, then what each view shows.
 */
describe(
  'a source that sends nothing new for monitor.silentAfterDays is raised as silent',
  { timeout: 240_000 },
  () => {
    let fleet: RunningFleet | undefined;
    let receiver: LocalServer | undefined;
    let dir = '';
    let env: Record<string, string> = { ...SANDBOX_ENVIRONMENT };
    /** The silent_source items each night's alerts carried, by the day closed. */
    const silentByNight = new Map<string, ReceivedAlert['items']>();
    const failuresByNight = new Map<string, string[]>();

    beforeAll(async () => {
      dir = tempDir();
      receiver = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
      fleet = (await startSandboxFleet({ panels: 3, publishers: 2, port: 0, chart: 'full', dir, today: '2026-03-02' }))
        .fleet;
      const config = join(dir, 'ledgerline.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace(/^ {2}# webhookUrl: .*$/m, '  webhookUrl: ${ALERTS_WEBHOOK_URL}'),
      );
      env = { ...env, ALERTS_WEBHOOK_URL: receiver.url };
      for (let night = 0; night < 5; night += 1) {
        const day = fleet.lead.today();
        const seen = receiver.received.length;
        const sync = await runLedgerline(['sync'], { cwd: dir, env, clock: fastForwardClock() });
        expect(sync.code, sync.stderr).toBe(3);
        const alerts = receiver.received.slice(seen).map((request) => JSON.parse(request.body) as ReceivedAlert);
        const items = alerts.flatMap((alert) => alert.items);
        silentByNight.set(
          day,
          items.filter((item) => item.kind === 'silent_source'),
        );
        failuresByNight.set(
          day,
          alerts.filter((alert) => alert.kind === 'run_failed').flatMap((a) => a.items.map((item) => item.subject)),
        );
        fleet.lead.advanceDays(1);
      }
    }, 240_000);
    afterAll(async () => {
      await fleet?.close();
      await receiver?.close();
    });

    it('the nightly alert raises the silent panel and publisher on the night they reach 3 days, not before; the failing panel as failing', () => {
      expect([...silentByNight].map(([day, items]) => [day, items.map((item) => item.subject)])).toEqual([
        ['2026-03-02', []],
        ['2026-03-03', []],
        ['2026-03-04', []],
        ['2026-03-05', ['panel-02', 'publisher-02']],
        ['2026-03-06', ['panel-02', 'publisher-02']],
      ]);
      const last = silentByNight.get('2026-03-06')!;
      expect(last[0]?.message).toBe(
        'Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03)',
      );
      expect(last[0]?.nextStep).toMatch(/check the panel's account .* and its API key/);
      expect(last[1]?.message).toBe(
        'Ad network account publisher-02 has sent no movement in its earnings or spend counter for 4 days (since 2026-03-03)',
      );
      for (const subjects of failuresByNight.values()) expect(subjects).toContain('panel-03');
    });

    it('status --fleet shows the silent days and since when; the failing panel is failing, not silent; the steady ones neither', async () => {
      const run = await runLedgerline(['status', '--fleet', '--json'], { cwd: dir, env });
      expect(run.code, run.stderr).toBe(0);
      const rows = FleetViewSchema.parse(JSON.parse(run.stdout));
      expect(rows.map((row) => [row.source, row.lastResult, row.silentDays, row.silentSince])).toEqual([
        ['panel-03', 'failing', null, null],
        ['panel-02', 'ok', 4, '2026-03-03'],
        ['publisher-02', 'ok', 4, '2026-03-03'],
        ['panel-01', 'ok', null, null],
        ['publisher-01', 'ok', null, null],
      ]);
      const table = await runLedgerline(['status', '--fleet'], { cwd: dir, env });
      expect(table.stdout.split('\n')[0]).toMatch(/ +in transit +silent +calls today +token$/);
      expect(table.stdout).toMatch(/^panel-02 .* 4d since 2026-03-03 .*$/m);
      expect(table.stdout).toContain('5 sources, 1 failing, 2 silent');
    });

    it('status --exceptions lists what needs a person, oldest first: the silent sources and the balance falls by their day, the failing panel, each with its next step', async () => {
      const run = await runLedgerline(['status', '--exceptions', '--json'], { cwd: dir, env });
      expect(run.code, run.stderr).toBe(1);
      const queue = ExceptionQueueSchema.parse(JSON.parse(run.stdout));
      // The steady panel's balance falls are reconcile's open items, each dated; the failing panel, never closed, dates
      // from its own first failed night (03-02), not the latest sync's day.
      expect(
        queue.map((row) => [
          row.since,
          row.kind,
          row.subject.replace(/^finding:(panel-01):balance_fall:.*$/, '$1 fall'),
        ]),
      ).toEqual([
        ['2026-03-02', 'failing', 'panel-03'],
        ['2026-03-03', 'silent', 'panel-02'],
        ['2026-03-03', 'silent', 'publisher-02'],
        ['2026-03-03', 'open_item', 'panel-01 fall'],
        ['2026-03-04', 'open_item', 'panel-01 fall'],
        ['2026-03-05', 'open_item', 'panel-01 fall'],
        ['2026-03-06', 'open_item', 'panel-01 fall'],
      ]);
      // Each date once: the row says since when, the words how long.
      expect(queue[1]!.what).toBe('Panel panel-02 has sent no new orders or balance moves for 4 days');
      expect(queue[0]!.what).toMatch(/^panel-03 failed in the latest sync, .*HTTP 502/);
      expect(queue[0]!.nextStep).toContain('`ledgerline sync --source panel-03`');
      expect(queue[3]!.nextStep).toMatch(
        /^look at it with `ledgerline reconcile`; once dealt with, `ledgerline reconcile ack finding:/,
      );
      const text = await runLedgerline(['status', '--exceptions'], { cwd: dir, env });
      expect(text.stdout).toMatch(
        /^2026-03-02 {2}failing: panel-03: .*\n.*\n {12}id: {3}x-[0-9a-f]{8} {2}open\n2026-03-03 {2}silent: panel-02: Panel panel-02 has sent .*\n {12}next: check the panel's account/,
      );
      expect(text.stdout).toContain('\n7 things need a person, the oldest first\n');
    });

    it('ledgerline digest sends the queue grouped by kind through the alert webhook, in words; --dry-run only prints it', async () => {
      const seen = receiver!.received.length;
      const dry = await runLedgerline(['digest', '--dry-run'], { cwd: dir, env });
      expect(dry.code, dry.stderr).toBe(0);
      expect(receiver!.received.length).toBe(seen);
      const sent = await runLedgerline(['digest'], { cwd: dir, env });
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stdout).toBe(dry.stdout);
      const alerts = receiver!.received
        .slice(seen)
        .map((request) => JSON.parse(request.body) as ReceivedAlert & { text: string });
      expect(alerts.map((alert) => alert.kind)).toEqual(['digest']);
      expect(alerts[0]!.text.split('\n').slice(0, 4)).toEqual([
        'ledgerline daily digest, 2026-03-08: 3 of 5 sources need you; 7 things to do in all',
        'failing: 1 (panel-03)',
        'silent: 2 (panel-02, publisher-02)',
        'open items blocking a close: 4 (' +
          ['03', '04', '05', '06']
            .map((day) => `finding:panel-01:balance_fall:2026-03-${day}:2026-03-${day}`)
            .join(', ') +
          ')',
      ]);
      expect(alerts[0]!.items.map((item) => [item.kind, item.subject])[0]).toEqual(['failing', 'panel-03']);
      expect(alerts[0]!.text).toContain(
        '• panel-02: silent: Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03)',
      );
    });

    it('status says it in words, and metrics as gauges per source', async () => {
      const status = await runLedgerline(['status'], { cwd: dir, env });
      expect(status.stdout).toContain(
        "! Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03): check the panel's account",
      );
      expect(status.stdout).not.toMatch(/! \w+ (panel-01|panel-03|publisher-01) has sent/);
      const metrics = await runLedgerline(['metrics'], { cwd: dir, env });
      expect(metrics.stdout).toContain('ledgerline_source_silent{source="panel-02"} 1');
      expect(metrics.stdout).toContain('ledgerline_source_silent{source="panel-01"} 0');
      expect(metrics.stdout).toContain('ledgerline_source_quiet_days{source="publisher-02"} 4');
      expect(metrics.stdout).not.toContain('source="panel-03"} 1');
    });

    it("serve's /metrics answers the same Prometheus text as ledgerline metrics, read-only, in the text format", async () => {
      const serving = await serveInProcess(['--port', '0'], { cwd: dir, env });
      const at = new URL('metrics', serving.url.replace('0.0.0.0', '127.0.0.1'));
      try {
        const answer = await fetch(at);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        const text = await answer.text();
        const cli = await runLedgerline(['metrics'], { cwd: dir, env });
        expect(text).toBe(cli.stdout);
        const lines = text.trimEnd().split('\n');
        for (const line of lines)
          expect(line).toMatch(/^(# (HELP|TYPE) ledgerline_\w+ .+|ledgerline_\w+(\{(\w+="[^"]*",?)+\})? -?[\d.]+)$/);
        expect(lines).toContain('# TYPE ledgerline_source_silent gauge');
        expect(lines).toContain('ledgerline_source_silent{source="publisher-02"} 1');
        expect((await fetch(at, { method: 'POST' })).status).toBe(405);
      } finally {
        await serving.stop();
      }
    });

    it("the scheduled night's alert raises the silent sources as sync's does, and not the failing panel (one night, the last of the file)", async () => {
      const seen = receiver!.received.length;
      const night = await runLedgerline(['schedule', '--once'], { cwd: dir, env });
      expect(night.code, night.stderr).toBe(3);
      const items = receiver!.received
        .slice(seen)
        .flatMap((request) => (JSON.parse(request.body) as ReceivedAlert).items);
      expect(items.filter((item) => item.kind === 'silent_source').map((item) => [item.subject, item.message])).toEqual(
        [
          ['panel-02', 'Panel panel-02 has sent no new orders or balance moves for 5 days (since 2026-03-03)'],
          [
            'publisher-02',
            'Ad network account publisher-02 has sent no movement in its earnings or spend counter for 5 days (since 2026-03-03)',
          ],
        ],
      );
      expect(items.filter((item) => item.subject === 'panel-03').map((item) => item.kind)).not.toContain(
        'silent_source',
      );
    });
  },
);
