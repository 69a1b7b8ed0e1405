import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';

/**
 * A real, throwaway PostgreSQL for one test file: its own cluster in a
 * temporary folder (initdb, then pg_ctl), on a free 127.0.0.1 port with its
 * unix socket in that folder, durability off for speed, and an en-US (ICU)
 * default collation. initdb refuses to run
 * as root, so under root the cluster belongs to the unprivileged `postgres`
 * user Debian's package creates. Passwords are checked over TCP (scram), as a
 * real server would.
 */
export interface PostgresServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A connection URL for `database`, password included. */
  url(database: string): string;
  /** A new, empty database; its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const SUPERUSER = 'ledgerline_test';
/** Every program the helper runs is stopped if it takes longer than this. */
const COMMAND_TIMEOUT_MS = 30_000;
/** pg_ctl's own bound on starting and stopping the server, in seconds. */
const PG_CTL_WAIT_SECONDS = '20';

/** Starts a cluster before the file's tests, stops and removes it after them; gives each call a fresh database. */
export function usePostgresServer(): { server: () => PostgresServer; freshDatabase: () => Promise<string> } {
  let started: PostgresServer | undefined;
  let count = 0;
  beforeAll(async () => {
    started = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
  }, 60_000);
  const server = (): PostgresServer => {
    if (started === undefined) throw new Error('the PostgreSQL test server is not started: call usePostgresServer() at the top of the test file');
    return started;
  };
  return { server, freshDatabase: () => server().createDatabase(`ledger_${++count}`) };
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  const owner = clusterOwner();
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner !== undefined) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  const run = (program: string, args: string[]) => runAs(owner, join(bin, program), args);
  const remove = async () => {
    try {
      // Whenever a server may be up (even one whose start timed out), stop it before its folder goes.
      if (existsSync(join(data, 'postmaster.pid'))) await run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', PG_CTL_WAIT_SECONDS]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await run('initdb', [
      '-D', data, '-U', SUPERUSER, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256',
      // A language collation by default, as a team's database often has: the ledger must order text alike under it.
      '--encoding=UTF8', '--locale=C', '--locale-provider=icu', '--icu-locale=en-US', '--no-sync', '--no-instructions',
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'",
      '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=40',
    ].join(' ');
    await run('pg_ctl', ['start', '-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', PG_CTL_WAIT_SECONDS]);
    const url = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    return {
      port,
      user: SUPERUSER,
      password,
      url,
      async createDatabase(name) {
        const admin = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 10_000 });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        } finally {
          await admin.end();
        }
        return url(name);
      },
      stop: remove,
    };
  } catch (error) {
    const log = join(dir, 'server.log');
    const tail = existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
    await remove();
    throw new Error(`could not start the PostgreSQL test server: ${(error as Error).message}${tail}`, { cause: error });
  }
}

/** initdb and pg_ctl from Debian's versioned folder (the newest), or else from PATH. */
function postgresBinaries(): string {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => existsSync(join(debian, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(debian, versions[0], 'bin');
  const onPath = (process.env.PATH ?? '').split(delimiter).find((folder) => folder !== '' && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl')));
  if (onPath !== undefined) return onPath;
  throw new Error(
    'PostgreSQL is not installed: the PostgreSQL tests start a throwaway server with initdb and pg_ctl, found neither under /usr/lib/postgresql/*/bin nor on PATH; install it with `apt-get install postgresql`',
  );
}

/** Under root, the `postgres` system user (initdb refuses root); otherwise the current user. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root and there is no `postgres` user to own the test cluster (initdb refuses root); install it with `apt-get install postgresql`, which creates that user');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function runAs(owner: { uid: number; gid: number } | undefined, program: string, args: string[]): Promise<void> {
  // The server and its tools must not pick up the caller's PG* settings or a root HOME they cannot read.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG') && name !== 'HOME'));
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { ...(owner ?? {}), env: { ...env, HOME: tmpdir(), LC_ALL: 'C' }, cwd: tmpdir(), timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, _stdout, stderr) => {
        if (error === null) resolve();
        else reject(new Error(`${program} ${args[0] ?? ''} failed (${error.killed ? `no answer in ${COMMAND_TIMEOUT_MS / 1000} s` : `exit ${String(error.code)}`}): ${stderr.trim()}`));
      },
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no free port on 127.0.0.1'))));
    });
  });
}
