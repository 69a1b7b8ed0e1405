import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { startCronSchedule } from '../../src/scheduler/cron-schedule.js';

const EVERY_SECOND = '* * * * * *';

function capturedLogger() {
  const lines: { level: string; message: string }[] = [];
  const logger = createLogger({
    format: 'json',
    level: 'info',
    write: (line) => lines.push(JSON.parse(line) as { level: string; message: string }),
    redact: (text) => text,
    clock: () => new Date(),
    color: false,
  });
  return { logger, lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 20 ms, for at most `withinMs` (a bound for a loaded machine: it returns as soon as `done` holds). */
async function until(done: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done() && Date.now() < deadline) await sleep(20);
  if (!done()) throw new Error(`not done within ${withinMs} ms`);
}

describe.concurrent('the cron schedule', () => {
  it('a slow run spans several ticks: the ticks in between are skipped and logged, and runs never overlap', async () => {
    const { logger, lines } = capturedLogger();
    const runs: { startedAt: number; finishedAt?: number }[] = [];
    const isSkip = (line: { message: string }) => / skipped: the previous run is still in progress$/.test(line.message);
    const schedule = startCronSchedule({
      expression: EVERY_SECOND,
      timezone: 'UTC',
      logger,
      job: async () => {
        const run: { startedAt: number; finishedAt?: number } = { startedAt: Date.now() };
        runs.push(run);
        // The first run lasts until a tick has come and been skipped (a slow run, however slow the machine); the next is quick.
        if (runs.length === 1) await until(() => lines.some(isSkip), 20_000);
        run.finishedAt = Date.now();
      },
    });
    await until(() => runs.filter((run) => run.finishedAt !== undefined).length >= 2, 30_000);
    await schedule.stop();

    for (let index = 1; index < runs.length; index += 1)
      expect(runs[index]!.startedAt).toBeGreaterThanOrEqual(runs[index - 1]!.finishedAt!);
    const skipped = lines.filter(isSkip);
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(skipped.every((line) => line.level === 'warn')).toBe(true);
  });

  it('stop() lets the run in progress finish, and no run starts after it', async () => {
    const { logger } = capturedLogger();
    let started = 0;
    let finished = 0;
    const schedule = startCronSchedule({
      expression: EVERY_SECOND,
      timezone: 'UTC',
      logger,
      job: async () => {
        started += 1;
        await sleep(300);
        finished += 1;
      },
    });
    await until(() => started === 1, 15_000);
    await schedule.stop();
    expect(finished).toBe(1);
    expect(schedule.nextRunAt()).toBeNull();
    await sleep(1_200);
    expect(started).toBe(1);
  });

  it('a run that throws is logged, and the next tick runs', async () => {
    const { logger, lines } = capturedLogger();
    let calls = 0;
    const schedule = startCronSchedule({
      expression: EVERY_SECOND,
      timezone: 'UTC',
      logger,
      job: async () => {
        calls += 1;
        if (calls === 1) throw new Error('ledger file vanished');
      },
    });
    await until(() => calls >= 2, 20_000);
    await schedule.stop();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'scheduled run ended with an error: ledger file vanished' }),
    );
  });
});
