import { dirname } from 'node:path';
import { createAlertSender, type AlertSender } from '../alerts/alert-sender.js';
import type { Config } from '../config/index.js';
import type { RunAlerts } from '../pipeline/runs/index.js';
import { stepIn } from '../reads/exception-queue.js';
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
    clock: context.clock,
  });
}

/**
 * The sender of one entity's runs (its sync, post, scheduled night): the entities share the file's one alert channel,
 * so each alert names its entity, as its ping body does, and each next step's command carries its --entity, without
 * which `reconcile` refuses. Example: "ledgerline: north: sync as of 2026-03-08 found 6 items to look at", next step
 * "run `ledgerline reconcile --entity north` …". Without entities:, the sender itself.
 */
export function entityAlertSender(context: AppProcess, config: Config): AlertSender {
  const sender = alertSender(context, config);
  const entity = config.entity;
  if (entity === undefined) return sender;
  return {
    send: (alert, logger) =>
      sender.send(
        {
          ...alert,
          title: alert.title.replace(/^(ledgerline: )?/, (head) => `${head}${entity}: `),
          items: alert.items.map((item) => ({ ...item, nextStep: stepIn(item.nextStep, entity) })),
        },
        logger,
      ),
  };
}

/** What `sync` and `post` alert with, or undefined when no alert channel is configured (a person at the terminal reads the output). */
export function configuredAlerts(context: AppProcess, config: Config): RunAlerts | undefined {
  if (config.alerts.webhookUrl === undefined && config.alerts.command === undefined) return undefined;
  return {
    sender: entityAlertSender(context, config),
    tokenExpiry: { tokenStorePath: config.tokenStore, withinDays: config.alerts.tokenExpiryDays },
    now: context.now,
  };
}
