import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { initCommand } from './init.js';
import { migrateCommand } from './migrate.js';
import { postCommand } from './post.js';
import { reconcileCommand } from './reconcile.js';
import { sandboxCommand } from './sandbox.js';
import { scheduleCommand } from './schedule.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { webhooksCommand } from './webhooks.js';

/** The command table, in the order `--help` lists it. */
export const COMMANDS: readonly Command[] = [initCommand, migrateCommand, syncCommand, postCommand, exportCommand, reconcileCommand, statusCommand, webhooksCommand, scheduleCommand, sandboxCommand, demoCommand];
