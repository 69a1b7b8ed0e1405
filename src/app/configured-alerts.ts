import { dirname } from 'node:path';
import { createAlertSender, type AlertSender } from '../alerts/alert-sender.js';
import type { Config } from '../config/index.js';
import type { RunAlerts } from '../pipeline/runs/index.js';
import type { AppProcess } from './app-process.js';

/** The one alert sender, to the configured webhook and command (a channel not configured is skipped). */
export function alertSender(context: AppProcess, config: Config): AlertSender {
  return createAlertSender({
    webhookUrl: config.alerts.webhookUrl,
    command: config.alerts.command,
    cwd: dirname(config.file),
    env: context.env,
    logger: context.logger,
    redact: context.redact,
  });
}

/** What `sync` and `post` alert with, or undefined when no alert channel is configured (a person at the terminal reads the output). */
export function configuredAlerts(context: AppProcess, config: Config): RunAlerts | undefined {
  if (config.alerts.webhookUrl === undefined && config.alerts.command === undefined) return undefined;
  return {
    sender: alertSender(context, config),
    tokenExpiry: { tokenStorePath: config.tokenStore, withinDays: config.alerts.tokenExpiryDays },
    now: context.now,
  };
}
