// The README's commands' outputs on the demo, written to a folder so two builds can be compared byte for byte
// (issue 71: a change that only reshapes code leaves every output the same). It runs the built CLI as a
// subprocess: `demo --dir` in a fresh folder, then the read-only commands over the books it left, each command's
// help, and `demo --fleet`. What differs from run to run by nature is replaced before writing: the folder's path,
// the sandbox's port, the chain head (entries carry the time they were booked), generation times and durations.
//
//   node scripts/readme-outputs.mjs OUT_DIR [CLI]     (CLI: default dist/src/cli/main.js of this checkout)
//   diff -r OUT_BEFORE OUT_AFTER                      (nothing printed: the outputs are the same)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [outArgument, cliArgument] = process.argv.slice(2);
if (outArgument === undefined) {
  process.stderr.write('usage: node scripts/readme-outputs.mjs OUT_DIR [CLI]\n');
  process.exit(2);
}
const out = resolve(outArgument);
const cli = resolve(cliArgument ?? join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js'));
const work = mkdtempSync(join(tmpdir(), 'readme-outputs-'));
const books = join(work, 'books');
const fleet = join(work, 'fleet');
mkdirSync(out, { recursive: true });

/** What changes between two runs of the same build: replaced by a word so that only a real difference shows. */
function steady(text) {
  return text
    .replaceAll(work, 'WORK')
    .replaceAll(cli, 'CLI')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/\b[0-9a-f]{64}\b/g, 'SHA256')
    .replace(/\b[0-9a-f]{12}…/g, 'SHA12…')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, 'TIMESTAMP')
    .replace(/done in \d+(\.\d+)? s/g, 'done in N s')
    .replace(/\b\d+(\.\d+)? ?ms\b/g, 'N ms')
    .replace(/"(durationMs|ms|elapsedMs|pid)": ?\d+/g, '"$1": N')
    .replace(/pid \d+/g, 'pid N')
    .replace(/run:TIMESTAMP:[0-9a-f]{8}/g, 'run:TIMESTAMP:RUN')
    .replace(/ledger-[0-9a-f]{16}\.jsonl/g, 'ledger-PATHHASH.jsonl')
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, 'DATETIME UTC')
    .replace(/(_duration_seconds\{[^}]*\}) [\d.]+/g, '$1 N')
    .replace(/(_timestamp_seconds\{[^}]*\}) \d+/g, '$1 N');
}

let step = 0;
function record(name, args, options = {}) {
  step += 1;
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? work,
    encoding: 'utf8',
    env: { ...process.env, XDG_STATE_HOME: join(work, 'state'), NO_COLOR: '1', LEDGERLINE_CODE_CACHE: 'off' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const text = `$ ledgerline ${args.join(' ')}\nexit ${result.status}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
  writeFileSync(join(out, `${String(step).padStart(3, '0')}-${name}.txt`), steady(text));
  return result.stdout;
}

const config = ['--config', join(books, 'ledgerline.yaml')];
record('demo', ['demo', '--dir', books]);
const reads = [
  ['balances', ['balances']],
  ['balances-json', ['balances', '--json']],
  ['balances-march-by-day', ['balances', '--from', '2026-03-01', '--to', '2026-03-31', '--by', 'day']],
  ['balances-source', ['balances', '--source', 'smm-panel']],
  ['status', ['status']],
  ['status-json', ['status', '--json']],
  ['status-fleet', ['status', '--fleet']],
  ['status-exceptions', ['status', '--exceptions']],
  ['reconcile', ['reconcile']],
  ['reconcile-json', ['reconcile', '--json']],
  ['reconcile-as-of', ['reconcile', '--as-of', '2026-03-20']],
  ['transit', ['transit']],
  ['transit-json', ['transit', '--json']],
  ['bank-lines', ['bank', 'lines']],
  ['bank-lines-unmatched', ['bank', 'lines', '--unmatched']],
  ['vat', ['vat', '--period', '2026-Q1']],
  ['export-generic', ['export', '--format', 'generic']],
  ['export-xero', ['export', '--format', 'xero']],
  ['export-quickbooks', ['export', '--format', 'quickbooks']],
  ['export-hledger', ['export', '--format', 'hledger']],
  ['export-beancount', ['export', '--format', 'beancount']],
  ['export-window', ['export', '--format', 'generic', '--from', '2026-03-10', '--to', '2026-03-20']],
  ['verify', ['verify']],
  ['verify-json', ['verify', '--json']],
  ['metrics', ['metrics']],
  ['digest', ['digest', '--dry-run']],
  ['close-again', ['close', '--period', '2026-03']],
  ['evidence-unknown', ['evidence', 'no-such-entry', '--out', join(work, 'e.zip')]],
];
for (const [name, args] of reads) record(name, [...config, ...args]);
const help = record('help', ['--help']);
const commandList = help.slice(help.indexOf('Commands:'), help.indexOf('Global options:'));
const commands = [...commandList.matchAll(/^ {2}([a-z-]+) /gm)].map((match) => match[1]);
for (const command of commands) record(`help-${command}`, ['help', command]);
record('demo-fleet', ['demo', '--fleet', '--dir', fleet]);
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${step} outputs in ${out}\n`);
