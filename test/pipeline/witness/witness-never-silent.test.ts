import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
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

const PASSWORD = 'b4sic-witness-pa55';
/**
 * A witness that is closed or hangs is waited out: 300 ms a call instead of the product's 3 s (4 s in all, twice an
 * adjust), so the two tests of an unwritten URL witness wait about a second rather than about 8 s each.
 */
const SHORT_URL_BOUND = '  urlTimeoutMs: 300\n';

/** A witness behind HTTP Basic auth (user `books`): GET gives its records, POST appends one; anything else 401. */
async function basicAuthWitness(): Promise<{ server: Server; port: number; records: string[]; refused: number[] }> {
  const records: string[] = [];
  const refused: number[] = [];
  const expected = `Basic ${Buffer.from(`books:${PASSWORD}`).toString('base64')}`;
  const server = createServer((request, response) => {
    if (request.headers.authorization !== expected) {
      refused.push(1);
      response.writeHead(401, { 'www-authenticate': 'Basic realm="witness"' }).end();
      return;
    }
    if (request.method === 'GET') {
      response
        .writeHead(200, { 'content-type': 'application/x-ndjson' })
        .end(records.map((line) => `${line}\n`).join(''));
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      records.push(JSON.stringify(JSON.parse(body)));
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, records, refused };
}

/** A witness that takes the connection and never answers. */
async function hangingWitness(): Promise<{ close: () => Promise<void>; port: number }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Issue 84 item 6: a run that could not write a witness says so on stderr, naming the witness and what it lacks;
 * `adjust` said nothing (its configuration a copy the notes were not registered for). A witness file inside the
 * ledger's folder is refused by every writer, and a `witness.url` carrying a user and password sends them as Basic
 * auth, never printing the password.
 */
describe('a witness that could not be written is said, never silent (SQLite)', { timeout: 180_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let config: string;
  let configured: string;
  let booked = 0;
  const outputs: string[] = [];

  /** One more adjusting entry (its own reason, so it is booked, not found booked already). */
  async function adjust(): Promise<CliResult> {
    booked += 1;
    const result = await workspace.run([
      'adjust',
      '--date',
      '2026-03-30',
      '--debit',
      'smm_services_expense=1.00',
      '--credit',
      'suspense=1.00',
      '--reason',
      `panel charge ${booked} booked by hand`,
    ]);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  function witnessAt(yaml: string): void {
    writeFileSync(config, `${configured}\nwitness:\n${yaml}`);
  }

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, 'ledgerline-witness-silent-');
    config = join(workspace.dir, 'ledgerline.yaml');
    configured = readFileSync(config, 'utf8');
    witnessAt('  file: witness/heads.jsonl\n');
    for (const day of ['2026-03-29', '2026-03-30']) await syncedNight(sandbox, workspace, day);
  });

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('a witness URL closed: adjust books, exit 0, and says on stderr the URL was not written', async () => {
    const port = await closedPort();
    workspace.env.WITNESS_URL = `http://127.0.0.1:${port}/witness/books`;
    witnessAt('  file: witness/heads.jsonl\n  url: ${WITNESS_URL}\n' + SHORT_URL_BOUND);
    const run = await adjust();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`the URL witness at 127.0.0.1:${port} was not written (`);
  });

  it('a witness URL that never answers: the same, within its bound', async () => {
    const hanging = await hangingWitness();
    try {
      workspace.env.WITNESS_URL = `http://127.0.0.1:${hanging.port}/witness/books`;
      const started = Date.now();
      const run = await adjust();
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`the URL witness at 127.0.0.1:${hanging.port} was not written (`);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await hanging.close();
    }
  });

  it('a witness file that is a folder, or under a file: booked, and stderr names the file and the head it lacks', async () => {
    mkdirSync(join(workspace.dir, 'witness', 'folder.jsonl'), { recursive: true });
    witnessAt('  file: witness/folder.jsonl\n');
    const folder = await adjust();
    expect(folder.code, folder.stderr).toBe(0);
    expect(folder.stderr).toMatch(
      new RegExp(
        `the witness file ${join(workspace.dir, 'witness', 'folder.jsonl')} was not written \\(.*EISDIR.*\\): it lacks the head at position \\d+ \\(entry je:adjustment:2026-03-30:\\d+\\)`,
      ),
    );
    writeFileSync(join(workspace.dir, 'witness', 'plain'), 'a file, not a folder\n');
    witnessAt('  file: witness/plain/heads.jsonl\n');
    const under = await adjust();
    expect(under.code, under.stderr).toBe(0);
    expect(under.stderr).toContain(
      `the witness file ${join(workspace.dir, 'witness', 'plain', 'heads.jsonl')} was not written (`,
    );
  });

  it("a witness file inside the ledger's folder: adjust refused (exit 2) naming witness.file, nothing booked", async () => {
    witnessAt('  file: data/heads.jsonl\n');
    const before = await booksAt(workspace.ledger);
    const run = await adjust();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `witness.file: ${join(workspace.dir, 'data', 'heads.jsonl')} is inside the ledger's folder ${join(workspace.dir, 'data')}`,
    );
    expect(await booksAt(workspace.ledger)).toEqual(before);
  });

  it('a witness URL with a user and password: sent as Basic auth, read back by verify, the password never printed', async () => {
    const witness = await basicAuthWitness();
    try {
      workspace.env.WITNESS_URL = `http://books:${PASSWORD}@127.0.0.1:${witness.port}/witness/books`;
      appendFileSync(config, '');
      witnessAt('  file: witness/heads.jsonl\n  url: ${WITNESS_URL}\n');
      const run = await adjust();
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('was not written');
      expect(witness.refused).toEqual([]);
      expect(witness.records.length).toBeGreaterThan(0);
      const verified = await workspace.run(['verify']);
      outputs.push(verified.stdout, verified.stderr);
      expect(verified.code, verified.stdout).toBe(0);
      expect(verified.stdout).toContain(`the URL witness at 127.0.0.1:${witness.port} (`);
    } finally {
      await new Promise<void>((resolve) => witness.server.close(() => resolve()));
    }
    const refusedAt = await closedPort();
    workspace.env.WITNESS_URL = `http://books:${PASSWORD}@127.0.0.1:${refusedAt}/witness/books`;
    const down = await workspace.run(['verify']);
    outputs.push(down.stdout, down.stderr);
    expect(down.code).toBe(1);
    for (const output of outputs) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(Buffer.from(`books:${PASSWORD}`).toString('base64'));
    }
  });
});
