import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAME, SANDBOX_ORIGIN, exampleConfigText, packageMappingsDir } from '../../config/index.js';
import { ConfigError, EnvironmentError, EXIT, UsageError } from '../../errors.js';
import { printable } from '../../log/printable.js';
import type { Command, CommandContext } from '../command.js';
import { mendedLine } from '../flag-choice.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';

export const initCommand: Command = {
  usage: 'ledgerline init [--config PATH] [--sandbox-url URL] [--force] [--json]',
  options: {
    'sandbox-url': { type: 'string', value: 'URL', description: 'the sandbox the example configuration points at (default http://127.0.0.1:8787)' },
    force: { type: 'boolean', description: 'rewrite the configuration even if it exists, keeping the old one beside it as a backup (mappings and ledger are kept)' },
  },
  examples: [
    'ledgerline init                      # ./ledgerline.yaml, ./mappings/ and the ledger',
    'ledgerline init --config books/ledgerline.yaml',
    'ledgerline init --force --sandbox-url http://127.0.0.1:19101   # rewrite ./ledgerline.yaml (the old one kept as ledgerline.yaml.bak-…)',
  ],
  async run(context) {
    // Checked before anything is written: a URL the configuration cannot load would leave a broken file behind.
    const sandboxUrl = sandboxOrigin(context, context.values['sandbox-url']);
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
    mkdirSync(folder, { recursive: true });
    const rewrite = existsSync(configFile) ? whyRewrite(context, configFile) : undefined;
    if (rewrite !== undefined) {
      if (rewrite.broken !== undefined) context.stderr.write(`${configFile} does not load (${rewrite.broken}); init writes a fresh one and keeps the old file as a backup\n`);
      backups.push(backUp(configFile, context.now()));
    }
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
    await withBooksFor(config, {}, () => undefined);
    const show = (path: string) => relative(context.cwd, path) || path;
    if (context.json) writeJson(context, { written: written.map(show), kept: kept.map(show), backups: backups.map(show), ledger: show(config.ledger) });
    else {
      for (const path of backups) context.stdout.write(`kept the old configuration as ${show(path)}\n`);
      for (const path of written) context.stdout.write(`wrote ${show(path)}\n`);
      for (const path of kept) context.stdout.write(`kept ${show(path)} (already exists; not overwritten${path === configFile ? '; `ledgerline init --force` rewrites it, keeping a backup' : ''})\n`);
      context.stdout.write(`ledger ready at ${show(config.ledger)}\n`);
    }
    return EXIT.ok;
  },
};

/**
 * The sandbox's origin as the configuration needs it (scheme, host, port). A URL without a scheme
 * (`127.0.0.1:19101`) is refused with the command that was likely meant rather than completed: the
 * written file would then hold a URL nobody typed, and `localhost:19101` even parses as a URL of scheme "localhost:".
 */
function sandboxOrigin(context: CommandContext, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const typed = String(value);
  let url: URL | undefined;
  try {
    url = new URL(typed);
  } catch {
    url = undefined;
  }
  if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.pathname === '/' && url.search === '' && url.hash === '') return url.origin;
  const web = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:');
  const meant = typed.includes('://') ? (web ? url!.origin : undefined) : `http://${typed.replace(/\/+$/, '')}`;
  throw new UsageError(
    `--sandbox-url takes an http:// or https:// origin such as ${SANDBOX_ORIGIN}, not "${printable(typed)}"${meant === undefined ? '' : `; did you mean "${mendedLine(context, '--sandbox-url', typed, meant)}"?`} Nothing was written`,
  );
}

/** Whether init rewrites an existing configuration: asked to (--force), or the file does not load (`broken` says why). */
function whyRewrite(context: CommandContext, configFile: string): { broken?: string } | undefined {
  if (context.values.force === true) return {};
  try {
    loadConfigFor({ ...context, configPath: configFile });
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { broken: error.message };
  }
}

/** Moves the configuration aside as `FILE.bak-<time>`, never over an earlier backup. */
function backUp(configFile: string, now: Date): string {
  const backup = `${configFile}.bak-${now.toISOString().replace(/[:.]/g, '-')}`;
  if (existsSync(backup)) throw new EnvironmentError(`${backup} already exists: run init again in a moment`);
  renameSync(configFile, backup);
  return backup;
}
