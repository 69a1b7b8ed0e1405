import { isPlainRecord, valueAt, type KeyPath } from './key-path.js';

/**
 * The parts of the configuration a command uses. Only their `${VAR}`s must be
 * set: `export` and `reconcile` need no source keys, `sync --source X` needs
 * X's, `post xero` needs Xero's. Everything outside sources,
 * destinations, webhooks, alerts and monitor is always needed.
 */
export interface ConfigNeeds {
  /** Source ids whose connection the command uses, or 'all' (a plain sync). */
  sources?: readonly string[] | 'all';
  /** Destination kinds whose section the command uses, by name. */
  destinations?: readonly string[];
  /** `ledgerline webhooks`: the webhooks section, secret included. */
  webhooks?: boolean;
  /** Commands that send alerts (and monitor pings): a configured alert webhook, command or ping URL must be usable. */
  alerts?: boolean;
  /** `ledgerline schedule`: the schedule section, every source, alerts, and the destinations it posts to. */
  schedule?: boolean;
  /**
   * A command that only reads the books (`balances`, `report`, `export`, `verify`): it never schedules, so its cron
   * expressions are not checked (config/cron-expression.ts); every command that writes, schedules or checks the file
   * still checks them.
   */
  onlyReads?: boolean;
}

/** Whether the command's cron expressions are checked (see `onlyReads`). */
export function checksCron(needs: ConfigNeeds): boolean {
  return needs.onlyReads !== true || needs.schedule === true;
}

export interface ExpandedNeeds {
  sources: 'all' | ReadonlySet<string>;
  destinations: ReadonlySet<string>;
  webhooks: boolean;
  alerts: boolean;
  schedule: boolean;
}

/** Folds `schedule` into what it implies, reading `schedule.post` from the file. */
export function expandNeeds(needs: ConfigNeeds, document: unknown): ExpandedNeeds {
  const scheduled = valueAt(document, ['schedule', 'post']);
  const scheduledDestinations =
    needs.schedule && Array.isArray(scheduled) ? scheduled.filter((item) => typeof item === 'string') : [];
  return {
    sources: needs.schedule || needs.sources === 'all' ? 'all' : new Set(needs.sources ?? []),
    destinations: new Set([...(needs.destinations ?? []), ...scheduledDestinations]),
    webhooks: needs.webhooks ?? false,
    alerts: (needs.alerts ?? false) || (needs.schedule ?? false),
    schedule: needs.schedule ?? false,
  };
}

/** Whether the value at `path` belongs to a part the command uses. */
export function isNeeded(path: KeyPath, needs: ExpandedNeeds, document: unknown): boolean {
  const [section, key] = path;
  switch (section) {
    case 'sources': {
      if (needs.sources === 'all') return true;
      const source = typeof key === 'number' ? valueAt(document, ['sources', key]) : undefined;
      return isPlainRecord(source) && typeof source.id === 'string' && needs.sources.has(source.id);
    }
    case 'destinations':
      return typeof key === 'string' && needs.destinations.has(key);
    case 'webhooks':
      return needs.webhooks;
    // Pinged by the same commands that alert.
    case 'alerts':
    case 'monitor':
      return needs.alerts;
    // An entity's own monitor ping, too; its organisation (entities.north.xero) as destinations.xero; its ledger always.
    case 'entities':
      if (path[2] === 'monitor') return needs.alerts;
      return path[2] === 'ledger' || (typeof path[2] === 'string' && needs.destinations.has(path[2]));
    default:
      return true;
  }
}
