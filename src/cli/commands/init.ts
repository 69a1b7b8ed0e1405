import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../../config/index.js';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { setAsideEarlierWitness } from '../../pipeline/witness/index.js';
import { fileSystemError } from '../output-file.js';
import type { Command } from '../command.js';
import { SANDBOX_SUPPLIER_CURRENCIES, sandboxOrigin, sandboxUrlRefusal } from '../sandbox-url-flag.js';
import { goingLive, productionChoices, refuseRegion } from '../../app/configuration-text.js';
import { apiDestinationChoices } from '../../app/destination-choices.js';
import { flag, withFlags } from '../flags.js';
import { TAX_REGIONS, writeConfiguration } from '../init-files.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';

export const initCommand: Command = withFlags({
  get usage() {
    return `ledgerline init [--config PATH] [--for ${productionChoices().join('|')} | --sandbox-url URL] [--force] [--json]`;
  },
  flags: z.object({
    // Checked before anything is written: a URL the configuration cannot load would leave a broken file behind.
    'sandbox-url': flag.readWith(
      'URL',
      'the sandbox the example configuration points at (default http://127.0.0.1:8787)',
      sandboxOrigin,
      sandboxUrlRefusal,
    ),
    for: flag.choiceFrom(
      productionChoices,
      'NAME',
      () =>
        `${productionChoices().join(' | ')}: a configuration for the real service (no sandbox URL), with the variables to set and the redirect URI to register`,
    ),
    region: flag.choice(
      TAX_REGIONS,
      'REGION',
      // The destinations with an API from the registry, read when help is shown: a plug-in's is named too.
      () =>
        `with --for ${apiDestinationChoices()}: where the business is registered; the chart (default.yaml) gets the region's ` +
        "tax rules in the ledger's codes and the destination's mapping file its codes for them (taxCodes:), commented " +
        "(with --for csv: each mapping file, and export.region.xero the organisation's region). " +
        'Without --for (the sandbox, `sandbox --region REGION`): the configuration takes its currency, and the chart ' +
        'and both mapping files their tax sections, live with --vat-registered',
    ),
    'supplier-currency': flag.choice(
      SANDBOX_SUPPLIER_CURRENCIES,
      'USD',
      'with --sandbox-url and --region, for `sandbox --region REGION --supplier-currency USD`: the panel charges in USD, ' +
        "converted at the rehearsal's fixed rate (destinations.rates)",
    ),
    'vat-registered': flag.boolean(
      'with --region: the business is registered for VAT/GST, so its flows take tax codes',
    ),
    force: flag.boolean(
      'rewrite the configuration even if it exists, keeping the old one beside it as a backup (mappings and ledger are kept)',
    ),
  }),
  examples: [
    'ledgerline init                      # ./ledgerline.yaml, ./mappings/ and the ledger, pointing at the sandbox',
    'ledgerline init --for xero           # going live: the real Xero, no sandbox URL; then ledgerline connect xero',
    'ledgerline init --sandbox-url http://127.0.0.1:8787 --region uk --vat-registered   # rehearse VAT against `sandbox --region uk`',
    'ledgerline init --sandbox-url http://127.0.0.1:8787 --region uk --supplier-currency USD --vat-registered   # … with a USD panel',
    'ledgerline init --config books/ledgerline.yaml',
    'ledgerline init --force --sandbox-url http://127.0.0.1:19101   # rewrite ./ledgerline.yaml (the old one kept as ledgerline.yaml.bak-…)',
  ],
  async run(context) {
    refuseRegion(context.flags.region, context.flags.for);
    if (
      context.flags['supplier-currency'] !== undefined &&
      (context.flags.region === undefined || context.flags.for !== undefined)
    )
      throw new UsageError(
        '--supplier-currency rehearses `sandbox --region REGION --supplier-currency USD`: give it with --region, without --for; ' +
          'nothing was written',
      );
    if (context.flags.for !== undefined && context.flags['sandbox-url'] !== undefined) {
      throw new UsageError(
        '--for writes a configuration for the real services and --sandbox-url one for the sandbox: give one of them; nothing was written',
      );
    }
    const configFile = resolve(context.cwd, context.configPath ?? CONFIG_FILE_NAME);
    const folder = resolve(configFile, '..');
    const written: string[] = [];
    const kept: string[] = [];
    const backups: string[] = [];
    const place = (path: string, write: () => void) => {
      if (existsSync(path)) kept.push(path);
      else {
        write();
        written.push(path);
      }
    };
    try {
      writeConfiguration(context, configFile, place, backups);
    } catch (error) {
      throw fileSystemError(error, 'init: cannot write', (error as NodeJS.ErrnoException).path ?? folder);
    }
    const config = loadConfigFor({ ...context, configPath: configFile });
    const creates = config.ledgerEngine === 'sqlite' && !existsSync(config.ledger);
    let witnessSetAside: string | undefined;
    await withBooksFor(config, context.ledger, () => {
      // Once the new ledger is open, so a ledger init could not create leaves the earlier witness where it was.
      if (creates) witnessSetAside = setAsideEarlierWitness(config.witness, new Date());
    });
    const show = (path: string) => relative(context.cwd, path) || path;
    if (context.json)
      writeJson(context, {
        written: written.map(show),
        kept: kept.map(show),
        backups: backups.map(show),
        ledger: show(config.ledger),
        ...(witnessSetAside === undefined
          ? {}
          : { witnessSetAside: { from: config.witness.file, to: witnessSetAside } }),
      });
    else {
      for (const path of backups) context.stdout.write(`kept the old configuration as ${show(path)}\n`);
      for (const path of written) context.stdout.write(`wrote ${show(path)}\n`);
      for (const path of kept)
        context.stdout.write(
          `kept ${show(path)} (already exists; not overwritten${path === configFile ? '; `ledgerline init --force` rewrites it, keeping a backup' : ''})\n`,
        );
      if (witnessSetAside !== undefined)
        context.stdout.write(
          `the witness of an earlier ledger at this path, ${config.witness.file}, was set aside as ${witnessSetAside}: these books start afresh\n`,
        );
      context.stdout.write(`ledger ready at ${show(config.ledger)}\n`);
      if (context.flags.for !== undefined && written.includes(configFile))
        context.stdout.write(goingLive(context.flags.for));
    }
    return EXIT.ok;
  },
});
