import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * node-cron's check of a cron expression, its module loaded when a configuration first has one: as a static import
 * it brought child_process, net and dgram into every command that reads the configuration (node-cron forks its
 * background daemon from the same module), though only `schedule` runs a cron.
 */
export function isCronExpression(expression: string): boolean {
  return (require('node-cron') as typeof import('node-cron')).validate(expression);
}
