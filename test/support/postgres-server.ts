import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import pg from 'pg';
import { openBooks } from './books.js';

/**
 * A real, throwaway PostgreSQL: its own cluster in a temporary folder (initdb,
 * then pg_ctl), on a free 127.0.0.1 port with its unix socket in that folder,
 * durability off for speed, and an en-US (ICU) default collation. initdb refuses
 * to run as root, so under root the cluster belongs to the unprivileged
 * `postgres` user Debian's package creates. Passwords are checked over TCP
 * (scram), as a real server would.
 *
 * One cluster serves the whole vitest run (test/support/postgres-global-setup.ts
 * starts it and `provide`s how to reach it); each test database is a copy of a
 * template the ledger's migrations ran on once, so a file pays neither initdb
 * nor the migrations. A test that must stop or kill its server starts its own
 * with startPostgresServer().
 */
export interface PostgresServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A connection URL for `database`, password included. */
  url(database: string): string;
  /** A new database (a file copy of `template` when given, else empty); its URL. */
  createDatabase(name: string, template?: string): Promise<string>;
  stop(): Promise<void>;
}

/** How a test process reaches the run's shared cluster: what the global setup provides (no functions cross). */
export interface SharedPostgres {
  port: number;
  user: string;
  password: string;
  /** The database every migrated test database is copied from. */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Undefined when the run needs no PostgreSQL (a `--project unit` run) or the machine has none. */
    sharedPostgres: SharedPostgres | undefined;
  }
}

const SUPERUSER = 'ledgerline_test';
/** The migrated ledger test databases are copied from. */
export const TEMPLATE_DATABASE = 'ledger_template';
/**
 * Every program the helper runs is stopped if it takes longer than this: a bound, not a wait. At load 30 on two
 * cores initdb passed 30 s, was killed, and left its single-user bootstrap server running in the folder.
 */
const COMMAND_TIMEOUT_MS = 150_000;
/** pg_ctl's own bound on starting and stopping the server, in seconds (within COMMAND_TIMEOUT_MS). */
const PG_CTL_WAIT_SECONDS = '120';

/**
 * The run's shared cluster for this file (or, outside a run that provides one, a cluster of the file's own);
 * `freshDatabase()` gives a new, migrated ledger database, `emptyDatabase()` one with no tables at all.
 */
export function usePostgresServer(): {
  server: () => PostgresServer;
  freshDatabase: () => Promise<string>;
  emptyDatabase: () => Promise<string>;
  copyDatabase: (url: string) => Promise<string>;
} {
  let started: PostgresServer | undefined;
  let count = 0;
  // Unique across the run (several files share one cluster at once) and still `ledger_` and digits, as error
  // messages the tests match show them: the process, the file's start in the day, the count.
  const prefix = `ledger_${process.pid}${String(Date.now() % 86_400_000).padStart(8, '0')}`;
  beforeAll(async () => {
    const shared = inject('sharedPostgres');
    if (shared !== undefined) {
      started = connectToPostgresServer(shared);
    } else {
      started = await startPostgresServer();
      await createLedgerTemplate(started);
    }
  }, 300_000);
  afterAll(async () => {
    await started?.stop();
  }, 150_000);
  const server = (): PostgresServer => {
    if (started === undefined)
      throw new Error(
        'the PostgreSQL test server is not started: call usePostgresServer() at the top of the test file',
      );
    return started;
  };
  return {
    server,
    freshDatabase: async () => {
      const url = await server().createDatabase(`${prefix}${String(++count).padStart(3, '0')}`, TEMPLATE_DATABASE);
      await giveOwnIdentity(url);
      return url;
    },
    emptyDatabase: () => server().createDatabase(`${prefix}${String(++count).padStart(3, '0')}`),
    /** A file copy of the database at `url` (no session may be open on it), with its own identity: a world built once, read by several tests. */
    copyDatabase: async (url) => {
      const copy = await server().createDatabase(
        `${prefix}${String(++count).padStart(3, '0')}`,
        new URL(url).pathname.slice(1),
      );
      await giveOwnIdentity(copy);
      return copy;
    },
  };
}

/** Migrates a new database named TEMPLATE_DATABASE through the books the CLI opens, and closes it (a template must have no session). */
export async function createLedgerTemplate(server: PostgresServer): Promise<void> {
  const books = await openBooks(await server.createDatabase(TEMPLATE_DATABASE));
  await books.close();
}

/**
 * Every ledger is created with a random identity (migration 0009); a copy of the template would share the
 * template's, and two test ledgers would look like one ledger moved. Each copy draws its own, as creation does.
 */
async function giveOwnIdentity(url: string): Promise<void> {
  await withClient(url, (client) =>
    client.query(
      `UPDATE ledger_identity SET id = md5(random()::text || clock_timestamp()::text), created_at = to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    ),
  );
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(user: string, password: string, port: number): (database: string) => string {
  return (database) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function createDatabaseStatement(name: string, template: string | undefined): string {
  const from = template === undefined ? '' : ` TEMPLATE ${pg.escapeIdentifier(template)} STRATEGY FILE_COPY`;
  return `CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`;
}

async function createDatabaseAt(
  url: (database: string) => string,
  name: string,
  template: string | undefined,
): Promise<string> {
  await withClient(url('postgres'), (admin) => admin.query(createDatabaseStatement(name, template)));
  return url(name);
}

/**
 * The run's shared cluster, as one file sees it: stopping it drops the databases this file made, the cluster stays.
 * The file's CREATE and DROP DATABASE share one session, opened at its first database and ended with the drops:
 * a session costs the server about 30 ms of CPU on the 2-core machine (fork, catalog caches, exit), and a session
 * for each statement was 500 of the run's 2,457 (docs/testing.md, round 96).
 */
function connectToPostgresServer(shared: SharedPostgres): PostgresServer {
  const url = databaseUrl(shared.user, shared.password, shared.port);
  const created: string[] = [];
  let admin: Promise<pg.Client> | undefined;
  const adminSession = (): Promise<pg.Client> => {
    admin ??= (async () => {
      const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 10_000 });
      // A dropped session is replaced at the next statement.
      client.on('error', () => (admin = undefined));
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      admin = undefined;
      throw error;
    });
    return admin;
  };
  return {
    port: shared.port,
    user: shared.user,
    password: shared.password,
    url,
    async createDatabase(name, template) {
      created.push(name);
      await (await adminSession()).query(createDatabaseStatement(name, template));
      return url(name);
    },
    async stop() {
      if (created.length === 0 && admin === undefined) return;
      const session = await adminSession();
      admin = undefined;
      try {
        for (const name of created.splice(0))
          await session.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await session.end();
      }
    },
  };
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
      if (existsSync(join(data, 'postmaster.pid')))
        await run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', PG_CTL_WAIT_SECONDS]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await run('initdb', [
      '-D',
      data,
      '-U',
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      // A language collation by default, as a team's database often has: the ledger must order text alike under it.
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=icu',
      '--icu-locale=en-US',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      // The whole run's files share the cluster, two or three at once, each with its pools and pg-boss workers.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    await run('pg_ctl', [
      'start',
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      PG_CTL_WAIT_SECONDS,
    ]);
    const url = databaseUrl(SUPERUSER, password, port);
    return {
      port,
      user: SUPERUSER,
      password,
      url,
      createDatabase: (name, template) => createDatabaseAt(url, name, template),
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
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .find((folder) => folder !== '' && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl')));
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
    throw new Error(
      'running as root and there is no `postgres` user to own the test cluster (initdb refuses root); install it with `apt-get install postgresql`, which creates that user',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function runAs(owner: { uid: number; gid: number } | undefined, program: string, args: string[]): Promise<void> {
  // The server and its tools must not pick up the caller's PG* settings or a root HOME they cannot read.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PG') && name !== 'HOME'),
  );
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      {
        ...(owner ?? {}),
        env: { ...env, HOME: tmpdir(), LC_ALL: 'C' },
        cwd: tmpdir(),
        timeout: COMMAND_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
      (error, _stdout, stderr) => {
        if (error === null) resolve();
        else
          reject(
            new Error(
              `${program} ${args[0] ?? ''} failed (${error.killed ? `no answer in ${COMMAND_TIMEOUT_MS / 1000} s` : `exit ${String(error.code)}`}): ${stderr.trim()}`,
            ),
          );
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
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no free port on 127.0.0.1')),
      );
    });
  });
}
