// A throwaway PostgreSQL cluster for a bench, as test/support/postgres-server.ts starts one for a test file:
// initdb into a temporary folder, pg_ctl on a free 127.0.0.1 port, durability off. Under root the cluster
// belongs to the `postgres` user (initdb refuses root).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const USER = 'ledgerline_bench';

export async function startThrowawayPostgres() {
  const versions = readdirSync('/usr/lib/postgresql').filter((name) => existsSync(join('/usr/lib/postgresql', name, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const bin = join('/usr/lib/postgresql', versions[0], 'bin');
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) for (const path of [dir, passwordFile]) chownSync(path, owner.uid, owner.gid);
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG'))), HOME: tmpdir(), LC_ALL: 'C' };
  const run = (program, args) => execFileSync(join(bin, program), args, { ...(owner ?? {}), env, cwd: tmpdir(), timeout: 60_000, stdio: 'ignore' });
  run('initdb', ['-D', data, '-U', USER, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=100'].join(' ');
  run('pg_ctl', ['start', '-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '30']);
  const url = (database) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let count = 0;
  return {
    async freshDatabase() {
      const name = `bench_${++count}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop() {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresUser() {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined) throw new Error('running as root and there is no `postgres` user to own the cluster');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
