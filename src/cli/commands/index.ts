import type { Command } from '../command.js';
import { initCommand } from './init.js';
import { migrateCommand } from './migrate.js';
import { statusCommand } from './status.js';

/** The command table, in the order `--help` lists it. */
export const COMMANDS: readonly Command[] = [initCommand, migrateCommand, statusCommand];
