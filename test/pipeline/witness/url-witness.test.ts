import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import {
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from '../../scenarios/scenario-harness.js';
import { HAND_BOOKED_ADJUSTMENT } from './witnessed-flow.js';

const TOKEN = 's3cret-witness-token-9f2c';
const ADJUSTMENT = 'je:adjustment:2026-04-02:1';

/** A port on 127.0.0.1 nothing listens on: a witness that does not answer. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function fileRecords(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

/**
 * Issue 73, `witness.url`: a witness the machine does not hold. Each run that moves the chain POSTs the same record
 * the witness file gets to the sandbox's witness (real HTTP on 127.0.0.1), `verify` GETs them back; the URL carries
 * a token that no output may show.
 */
describe('the URL witness: heads sent off the machine, read back by verify', { timeout: 180_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let witness: string;
  let url: string;
  const outputs: string[] = [];

  async function run(args: readonly string[]): Promise<CliResult> {
    const result = await workspace.run(args);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  async function night(day: string): Promise<CliResult> {
    await setSandboxDay(sandbox, day);
    const synced = await workspace.syncDay(day);
    outputs.push(synced.stdout, synced.stderr);
    expect([0, 1], synced.stderr).toContain(synced.code);
    return synced;
  }

  /** The witness URL is a secret: the configuration names the variable, the environment holds it. */
  function witnessAt(at: string): void {
    workspace.env.WITNESS_URL = at;
  }

  async function urlRecords(): Promise<unknown[]> {
    const reply = await fetch(url);
    expect(reply.status).toBe(200);
    return (await reply.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
  }

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, 'ledgerline-url-witness-');
    witness = join(workspace.dir, 'witness', 'heads.jsonl');
    url = `${sandbox.witnessUrl}/books?token=${TOKEN}`;
    witnessAt(url);
    appendFileSync(
      join(workspace.dir, 'ledgerline.yaml'),
      '\nwitness:\n  file: witness/heads.jsonl\n  url: ${WITNESS_URL}\n',
    );
    for (const day of ['2026-03-29', '2026-03-30']) await night(day);
  });

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('each run that moves the chain sends the URL the same records the witness file keeps', async () => {
    const records = await urlRecords();
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(records).toEqual(fileRecords(witness));
    const verified = await run(['verify']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(`the chain holds every head witnessed in .*the URL witness at 127\\.0\\.0\\.1:\\d+ \\(\\d+ heads`),
    );
    const put = await fetch(url, { method: 'PUT', body: '{}' });
    expect(put.status, 'the witness is append-only').toBe(405);
  });

  it('a witness that does not answer at write time: the head goes in the file, the run warns, verify exits 1 naming it; the next run sends what it missed', async () => {
    const dead = await deadPort();
    witnessAt(`http://127.0.0.1:${dead}/witness/books?token=${TOKEN}`);
    const synced = await night('2026-03-31');
    expect(synced.stderr).toContain(`the URL witness at 127.0.0.1:${dead} was not written (`);
    expect(synced.stderr).toContain('the head is witnessed in the file only; the next run that writes sends it');
    const down = await run(['verify']);
    expect(down.code, down.stdout).toBe(1);
    expect(down.stdout).toContain(`! url_witness_unread: the URL witness at 127.0.0.1:${dead} could not be read (`);
    expect(down.stdout).toContain(`witness not read: the URL witness at 127.0.0.1:${dead}: `);
    expect(down.stdout).toContain(`witnesses read: the witness ${witness}`);

    witnessAt(url);
    const behind = await run(['verify']);
    expect(behind.code, behind.stdout).toBe(0);
    expect(behind.stdout).toMatch(/it lacks \d+ records of the file, which the next run that writes sends it/);
    await night('2026-04-01');
    expect(await urlRecords()).toEqual(fileRecords(witness));
  });

  it('the ledger and its witness file put back together from a copy: the URL witness names it, and the next sync refuses', async () => {
    const ledgerCopy = join(workspace.dir, 'ledger-2026-04-01.sqlite');
    const witnessCopy = join(workspace.dir, 'heads-2026-04-01.jsonl');
    copyFileSync(workspace.ledgerPath, ledgerCopy);
    copyFileSync(witness, witnessCopy);
    await night('2026-04-02');
    const adjusted = await run(HAND_BOOKED_ADJUSTMENT);
    expect(adjusted.code, adjusted.stderr).toBe(0);
    for (const suffix of ['-wal', '-shm']) rmSync(`${workspace.ledgerPath}${suffix}`, { force: true });
    copyFileSync(ledgerCopy, workspace.ledgerPath);
    copyFileSync(witnessCopy, witness);

    const verified = await run(['verify']);
    expect(verified.code, verified.stdout).toBe(1);
    expect(verified.stdout).toMatch(
      new RegExp(
        `! ledger_older_than_witnessed: the URL witness at 127\\.0\\.0\\.1:\\d+: the books are older than what was witnessed on \\S+ at position \\d+ \\(entry ${ADJUSTMENT}, sha256:[0-9a-f]{64}, \\w+\\)`,
      ),
    );
    const status = await run(['status']);
    expect(status.code).toBe(1);
    await setSandboxDay(sandbox, '2026-04-02');
    const synced = await workspace.syncDay('2026-04-02');
    outputs.push(synced.stdout, synced.stderr);
    expect(synced.code).toBe(1);
    expect(synced.stderr).toContain('nothing was booked: the URL witness at 127.0.0.1:');
  });

  it('the token the URL carries is never printed, nor written to the witness file', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const output of outputs) expect(output).not.toContain(TOKEN);
    expect(readFileSync(witness, 'utf8')).not.toContain(TOKEN);
  });
});
