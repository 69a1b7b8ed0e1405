import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import {
  booksAt,
  createWorkspace,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from '../../scenarios/scenario-harness.js';
import { syncedNight } from './witnessed-flow.js';

/**
 * What no output may hold: a C0 control but the line break and the tab, DEL, a C1 control, and the bidirectional
 * embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E/200F).
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/u;

/** A terminal title set, a bell, a colour and a right-to-left override: what a hostile record or argument carries. */
const HOSTILE = '\u001b]0;owned\u0007\u001b[31m\u202eabc\u0085';

/** A witness URL whose answer holds a hostile record after the honest ones; POSTs are taken and kept. */
async function hostileUrlWitness(hostile: string): Promise<{ server: Server; port: number }> {
  const records: string[] = [];
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response
        .writeHead(200, { 'content-type': 'application/x-ndjson' })
        .end([...records, hostile].map((line) => `${line}\n`).join(''));
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      records.push(body);
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * Issue 84 item 7: text from outside (a witness record in the file or in the URL's answer, `restore`'s reason and
 * file name, an argument an error echoes) reached the terminal with its control bytes, and `verify --json` carried
 * an RLO. Every output of every run here is searched for them: the witness record's schema refuses them (the line
 * is named as no record), `restore` refuses them in its reason and file name as every other free text, and errors,
 * logs and JSON show any that remain as escapes.
 */
describe('text from outside is neutralised in every output (SQLite)', { timeout: 180_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let witness: string;
  const outputs: [string, string][] = [];

  async function run(args: readonly string[]): Promise<CliResult> {
    const result = await workspace.run(args);
    outputs.push([`${args.join(' ')} (stdout)`, result.stdout], [`${args.join(' ')} (stderr)`, result.stderr]);
    return result;
  }

  /** A head the witness really holds, its text fields made hostile. */
  function hostileRecord(): string {
    const lines = readFileSync(witness, 'utf8').trim().split('\n');
    const head = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    return JSON.stringify({
      ...head,
      date: `2026-03-30${HOSTILE}`,
      command: `sync${HOSTILE}`,
      entryId: `je:x${HOSTILE}`,
    });
  }

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, 'ledgerline-outside-text-');
    witness = join(workspace.dir, 'witness', 'heads.jsonl');
    appendFileSync(join(workspace.dir, 'ledgerline.yaml'), '\nwitness:\n  file: witness/heads.jsonl\n');
    for (const day of ['2026-03-29', '2026-03-30']) await syncedNight(sandbox, workspace, day);
  });

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('a hostile record in the witness file: verify, verify --json, status and sync name its line as no record', async () => {
    const honest = readFileSync(witness, 'utf8');
    const lines = honest.trim().split('\n').length;
    appendFileSync(witness, `${hostileRecord()}\n`);
    for (const args of [['verify'], ['verify', '--json'], ['status']]) {
      const result = await run(args);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(CONTROL);
    }
    const verified = await run(['verify']);
    expect(verified.stdout).toContain(
      `witness not read: the witness file: line ${lines + 1} of ${witness} is not a witness record`,
    );
    const synced = await workspace.syncDay('2026-03-30');
    outputs.push(['sync (stdout)', synced.stdout], ['sync (stderr)', synced.stderr]);
    writeFileSync(witness, honest);
  });

  it("a hostile record in the URL witness's answer: verify, verify --json, status and sync", async () => {
    const url = await hostileUrlWitness(hostileRecord());
    try {
      workspace.env.WITNESS_URL = `http://127.0.0.1:${url.port}/witness/books`;
      const config = join(workspace.dir, 'ledgerline.yaml');
      const before = readFileSync(config, 'utf8');
      writeFileSync(
        config,
        before.replace('  file: witness/heads.jsonl\n', '  file: witness/heads.jsonl\n  url: ${WITNESS_URL}\n'),
      );
      for (const args of [['verify'], ['verify', '--json'], ['status']]) await run(args);
      const synced = await workspace.syncDay('2026-03-30');
      outputs.push(['sync at the URL (stdout)', synced.stdout], ['sync at the URL (stderr)', synced.stderr]);
      const verified = await run(['verify']);
      expect(verified.code).toBe(1);
      expect(verified.stdout).toMatch(
        /url_witness_unread: the URL witness at 127\.0\.0\.1:\d+ could not be read \(its line \d+ is not a witness record\)/,
      );
      writeFileSync(config, before);
    } finally {
      await new Promise<void>((resolve) => url.server.close(() => resolve()));
    }
  });

  it('restore refuses a control character in its reason and in its file name (exit 2), nothing put back', async () => {
    const backup = join(workspace.dir, `backup${HOSTILE.replaceAll('/', '')}.sqlite`);
    copyFileSync(workspace.ledger, backup);
    const before = await booksAt(workspace.ledger);
    const reason = await run(['restore', '--from', backup, '--reason', `disk lost${HOSTILE}`]);
    expect(reason.code).toBe(2);
    expect(reason.stderr).toContain('error: --reason holds a control character (U+001B, at character 10)');
    const named = await run(['restore', '--from', backup, '--reason', 'disk lost']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('error: --from holds a control character (U+001B');
    expect(await booksAt(workspace.ledger)).toEqual(before);
    expect(readFileSync(witness, 'utf8')).not.toContain('disk lost');
  });

  it('an error echoing an argument shows its controls as escapes', async () => {
    const period = await run(['vat', '--period', `\u001b]0;t\u00072026-03`]);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period \\u001b]0;t\\u00072026-03');
    const approve = await run(['adjust', 'approve', `je:x${HOSTILE}`]);
    expect(approve.code).not.toBe(0);
  });

  it('no output of any run above holds a control byte', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const [what, text] of outputs) expect(CONTROL.exec(text)?.[0], what).toBeUndefined();
  });
});
