// A throwaway PostgreSQL cluster for one bench, as test/support/postgres-server.ts
// starts one for the tests: initdb and pg_ctl from Debian's /usr/lib/postgresql/*/bin
// (or PATH), its own folder, a free 127.0.0.1 port, owned by the `postgres` user
// under root (initdb refuses root). Unlike the tests' cluster, durability stays
// on (fsync, synchronous_commit, full_page_writes at their defaults): a bench
// measures what a production server would do, commits that reach the disk included.
//
// To see where a bench's time goes on the server: BENCH_PG_OPTIONS adds settings
// (e.g. "log_min_duration_statement=20 shared_buffers=1GB") and BENCH_PG_LOG names
// a file the server's log is copied to when the cluster stops.
import { execFile, execFileSync } from 'node:child_process';
import {
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

const SUPERUSER = 'ledgerline_bench';
/** Every program run here is killed after this long. */
const COMMAND_TIMEOUT_MS = 120_000;
/** pg_ctl's own bound on starting and stopping the server, in seconds. */
const PG_CTL_WAIT_SECONDS = '60';

/** Why PostgreSQL benches cannot run on this machine, or undefined when they can. */
export function postgresMissing() {
  if (postgresBinaries() === undefined)
    return 'PostgreSQL is not installed (no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH; `apt-get install postgresql`)';
  if (process.getuid?.() === 0 && clusterOwner() === undefined)
    return 'running as root and there is no `postgres` user to own the cluster (initdb refuses root)';
  return undefined;
}

/** What a PostgreSQL bench returns when it cannot run: its name and why. */
export function skipped(name) {
  const reason = postgresMissing();
  process.stdout.write(`  skipped: ${reason}\n`);
  return { name, metrics: { skipped: reason } };
}

/**
 * Starts a cluster; { port, url(database), createDatabase(name, template?), query(database, text), stop() }.
 * `extraOptions` are more `-c name=value` server settings.
 */
export async function startPostgres({ extraOptions = [] } = {}) {
  if (process.env.BENCH_PG_SHARED) return sharedCluster(JSON.parse(process.env.BENCH_PG_SHARED));
  const bin = postgresBinaries();
  if (bin === undefined) throw new Error(postgresMissing());
  const owner = process.getuid?.() === 0 ? clusterOwner() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner !== undefined) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  const run = (program, args) => runAs(owner, join(bin, program), args);
  const remove = async () => {
    try {
      if (process.env.BENCH_PG_LOG && existsSync(join(dir, 'server.log')))
        copyFileSync(join(dir, 'server.log'), process.env.BENCH_PG_LOG);
      if (existsSync(join(data, 'postmaster.pid')))
        await run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', PG_CTL_WAIT_SECONDS]);
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
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      ...[...extraOptions, ...(process.env.BENCH_PG_OPTIONS ?? '').split(' ').filter(Boolean)].map(
        (option) => `-c ${option}`,
      ),
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
    const url = (database) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    const query = async (database, text) => {
      const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    };
    return {
      port,
      url,
      query,
      /**
       * CPU milliseconds the whole cluster has used so far (the postmaster, its live processes, and the
       * ones that ended, which the kernel adds to the postmaster's children's time): what the server
       * spent, which a busy machine disturbs less than wall time.
       */
      cpuMs: () => clusterCpuMs(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])),
      /** A new database (a copy of `template` when given: the files are copied, not replayed); its URL. */
      async createDatabase(name, template) {
        const from = template === undefined ? '' : ` TEMPLATE ${pg.escapeIdentifier(template)} STRATEGY FILE_COPY`;
        await query('postgres', `CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`);
        return url(name);
      },
      async dropDatabase(name) {
        await query('postgres', `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      },
      stop: remove,
    };
  } catch (error) {
    const log = join(dir, 'server.log');
    const tail = existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
    await remove();
    throw new Error(`could not start the bench PostgreSQL server: ${error.message}${tail}`, { cause: error });
  }
}

/**
 * BENCH_PG_SHARED (JSON { port, user, password }) names a cluster already running: the test suite's, for the
 * benches' tiny runs (test/bench/benches-run.test.ts), which then pay no initdb each. The bench's databases get
 * a prefix of this process's own and stop() drops them; the cluster stays. Its settings are the tests' (no
 * fsync): a tiny run proves a bench runs, it measures nothing.
 */
async function sharedCluster({ port, user, password }) {
  const prefix = `bench_${process.pid}_`;
  const named = (database) => (database === 'postgres' ? database : `${prefix}${database}`);
  const url = (database) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${named(database)}`;
  const query = async (database, text) => {
    const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return await client.query(text);
    } finally {
      await client.end();
    }
  };
  // The postmaster is the parent of any session's server process, read while that session is open.
  const session = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 10_000 });
  await session.connect();
  let postmaster;
  try {
    const backend = (await session.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    postmaster = Number(readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } finally {
    await session.end();
  }
  const created = new Set();
  const dropDatabase = async (name) => {
    await query('postgres', `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(named(name))} WITH (FORCE)`);
    created.delete(name);
  };
  return {
    port,
    url,
    query,
    cpuMs: () => clusterCpuMs(postmaster),
    async createDatabase(name, template) {
      const from = template === undefined ? '' : ` TEMPLATE ${pg.escapeIdentifier(named(template))} STRATEGY FILE_COPY`;
      await query('postgres', `CREATE DATABASE ${pg.escapeIdentifier(named(name))}${from}`);
      created.add(name);
      return url(name);
    },
    dropDatabase,
    async stop() {
      for (const name of [...created]) await dropDatabase(name);
    },
  };
}

let ticksPerSecond;

function clusterCpuMs(postmaster) {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended while being read
    }
    // Fields after the command name (which may hold spaces): state, ppid, … utime (14), stime, cutime, cstime.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    if (Number(name) === postmaster) ticks += utime + stime + cutime + cstime;
    else if (Number(fields[1]) === postmaster) ticks += utime + stime;
  }
  return (ticks * 1000) / ticksPerSecond;
}

/** The folder holding initdb and pg_ctl: Debian's newest version, else PATH; undefined when there is none. */
function postgresBinaries() {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => existsSync(join(debian, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(debian, versions[0], 'bin');
  return (process.env.PATH ?? '')
    .split(delimiter)
    .find((folder) => folder !== '' && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl')));
}

/** The `postgres` system user's uid and gid, or undefined when there is none. */
function clusterOwner() {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid === undefined || gid === undefined ? undefined : { uid: Number(uid), gid: Number(gid) };
}

function runAs(owner, program, args) {
  // The server must not pick up the caller's PG* settings or a root HOME it cannot read.
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

function freePort() {
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
