import { createRequire } from 'node:module';
import { z } from 'zod';

const require = createRequire(import.meta.url);

/**
 * node-cron's check of a cron expression, its module loaded when a configuration first has one: as a static import
 * it brought child_process, net and dgram into every command that reads the configuration (node-cron forks its
 * background daemon from the same module), though only `schedule` runs a cron.
 */
function isCronExpression(expression: string): boolean {
  return (require('node-cron') as typeof import('node-cron')).validate(expression);
}

/**
 * A cron expression as the file writes it (`schedule.cron`, a source's `schedule`), checked by node-cron; or, for a
 * command that only reads the books (ConfigNeeds' `onlyReads`), taken as written: such a command never schedules,
 * and loading node-cron to check it was a fifth of `balances`' own start (child_process, net and dgram with it).
 */
export function cronExpression(checked: boolean) {
  const written = z.string();
  return checked
    ? written.refine(isCronExpression, 'is not a cron expression (minute hour day month weekday, e.g. "30 2 * * *")')
    : written;
}
