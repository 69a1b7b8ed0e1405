import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAME, exampleConfigText, packageMappingsDir } from '../../config/index.js';
import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { loadConfigFor, withLedger, writeJson } from '../load.js';

export const initCommand: Command = {
  usage: 'ledgerline init [--config PATH] [--sandbox-url URL] [--json]',
  options: {
    'sandbox-url': { type: 'string', value: 'URL', description: 'the sandbox the example configuration points at (default http://127.0.0.1:8787)' },
  },
  examples: ['ledgerline init                      # ./ledgerline.yaml, ./mappings/ and the ledger', 'ledgerline init --config books/ledgerline.yaml'],
  async run(context) {
    const configFile = resolve(context.cwd, context.configPath ?? CONFIG_FILE_NAME);
    const folder = resolve(configFile, '..');
    const written: string[] = [];
    const kept: string[] = [];
    const place = (path: string, write: () => void) => {
      if (existsSync(path)) kept.push(path);
      else {
        write();
        written.push(path);
      }
    };
    mkdirSync(folder, { recursive: true });
    const sandboxUrl = typeof context.values['sandbox-url'] === 'string' ? context.values['sandbox-url'] : undefined;
    place(configFile, () =>
      writeFileSync(
        configFile,
        // The copied mappings are the user's to edit, so the written configuration points at them.
        exampleConfigText(sandboxUrl).replace(/^# mappings: (\S+)( *)#/m, 'mappings: $1  $2#'),
        { flag: 'wx' },
      ),
    );
    const mappingsDir = join(folder, 'mappings');
    mkdirSync(mappingsDir, { recursive: true });
    for (const name of readdirSync(packageMappingsDir()).filter((file) => file.endsWith('.yaml'))) {
      const target = join(mappingsDir, name);
      place(target, () => copyFileSync(join(packageMappingsDir(), name), target));
    }
    const config = loadConfigFor({ ...context, configPath: configFile });
    await withLedger(config, () => undefined);
    const show = (path: string) => relative(context.cwd, path) || path;
    if (context.json) writeJson(context, { written: written.map(show), kept: kept.map(show), ledger: show(config.ledger) });
    else {
      for (const path of written) context.stdout.write(`wrote ${show(path)}\n`);
      for (const path of kept) context.stdout.write(`kept ${show(path)} (already exists; not overwritten)\n`);
      context.stdout.write(`ledger ready at ${show(config.ledger)}\n`);
    }
    return EXIT.ok;
  },
};
