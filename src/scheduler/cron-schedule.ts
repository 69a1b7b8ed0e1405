import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log/index.js';
import { messageOf } from '../errors.js';

interface CronScheduleOptions {
  /** A node-cron expression: five fields, or six with seconds first ("* * * * * *" every second). */
  expression: string;
  /** IANA zone the expression's wall-clock times are read in. */
  timezone: string;
  /** One run; should not throw (a throw is logged, and the schedule goes on). */
  job: (tick: { scheduledFor: Date }) => Promise<void>;
  logger: Logger;
}

interface CronSchedule {
  /** When the next tick is due, or null once stopped. */
  nextRunAt(): Date | null;
  /** No further ticks; resolves once the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * node-cron wiring, and nothing else: calls `job` on each tick of the
 * expression in the timezone, never two at once. A tick that comes while a run
 * is in progress is skipped and logged (node-cron's noOverlap); a tick the
 * process missed (asleep, busy) is logged too, never run late.
 */
export function startCronSchedule(options: CronScheduleOptions): CronSchedule {
  const { logger } = options;
  let inProgress: Promise<void> | undefined;
  let stopped = false;
  const task: ScheduledTask = createTask(
    options.expression,
    async (context) => {
      // node-cron may already be on its way to a tick when stop() is called; that tick must not start a run.
      if (stopped) return;
      const run = options.job({ scheduledFor: context.date }).catch((error: unknown) => {
        logger.error(`scheduled run ended with an error: ${messageOf(error)}`);
      });
      inProgress = run;
      try {
        await run;
      } finally {
        if (inProgress === run) inProgress = undefined;
      }
    },
    { timezone: options.timezone, noOverlap: true, name: 'ledgerline schedule', logger: cronLogger(logger) },
  );
  task.on('execution:overlap', (context) => {
    logger.warn(`tick of ${context.date.toISOString()} skipped: the previous run is still in progress`, {
      skippedTick: context.date.toISOString(),
    });
  });
  task.on('execution:missed', (context) => {
    logger.warn(
      `tick of ${context.date.toISOString()} missed (the process was busy or asleep); waiting for the next one`,
      { missedTick: context.date.toISOString() },
    );
  });
  void task.start();
  return {
    nextRunAt: () => (task.getStatus() === 'destroyed' || task.getStatus() === 'stopped' ? null : task.getNextRun()),
    async stop() {
      stopped = true;
      await task.destroy();
      await inProgress;
    },
  };
}

/** node-cron's own notices: the events above already say what matters, so they go to debug. */
function cronLogger(logger: Logger): CronLogger {
  const text = (message: string | Error, error?: Error) =>
    `node-cron: ${message instanceof Error ? message.message : message}${error ? `: ${error.message}` : ''}`;
  return {
    info: (message) => logger.debug(text(message)),
    warn: (message) => logger.debug(text(message)),
    error: (message, error) => logger.error(text(message, error)),
    debug: (message, error) => logger.debug(text(message, error)),
  };
}

/**
 * When `expression` next fires in `timezone` (for `status`), from the task's matcher alone: a started task worked
 * out its next tick once to arm its timer and again for getNextRun, and armed a timer to clear.
 */
export async function nextCronRun(expression: string, timezone: string): Promise<Date | null> {
  const task = createTask(expression, () => undefined, { timezone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    await task.destroy();
  }
}
