// The first import alone, builds in turns: `node bench/support/import-pairs.mjs ROUNDS label=dist/src/cli/main.js
// [label=/elsewhere/dist/src/cli/main.js …]` (BENCH_ORDERS orders, 50,000 unless set). Each round starts the sandbox
// in a process of its own, takes each build's opening sync, then the import of each build (in the other order every
// second round) and the bare panel import (the floor, under the CLI's V8 flags as orders-import.bench.mjs runs it),
// and prints wall, CPU and peak of each, then the medians and each build's CPU ÷ the floor's in the same round.
// The nights after the import, which orders-import.bench.mjs also runs, are left out: a round takes about a
// minute at 50,000 orders on a quiet machine. IMPORT_NODE_FLAGS go to each CLI process (--cpu-prof, --trace-gc);
// each build keeps its code cache in a folder of its own, so two builds under different V8 flags do not reject
// each other's.
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import {
  AS_OF,
  CLI_V8_FLAGS,
  START,
  admin,
  measured,
  startSandboxProcess,
  writeImportWorld,
  writeLedgerlineYaml,
} from '../orders-import.bench.mjs';
import { tempDir } from '../support-sync.mjs';

const here = import.meta.dirname;
const [roundsArg, ...buildArgs] = process.argv.slice(2);
const rounds = Number(roundsArg);
const builds = buildArgs.map((arg) => {
  const [label, cli] = arg.split('=');
  return { label, cli: resolve(cli) };
});
if (!(rounds > 0) || builds.length === 0 || builds.some((build) => !build.cli))
  throw new Error('usage: node bench/support/import-pairs.mjs ROUNDS label=path/to/main.js [label=…]');
const orders = Number(process.env.BENCH_ORDERS || 50_000);
const importFlags = (process.env.IMPORT_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const load = () =>
  loadavg()
    .map((figure) => figure.toFixed(1))
    .join(' ');
const line = (round, label, run) =>
  console.log(
    `round ${round} ${label}: ${(run.ms / 1000).toFixed(2)} s, ${(run.cpuMs / 1000).toFixed(2)} s CPU, ${Math.round(run.peakMb)} MB`,
  );
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const temp = tempDir();
const results = new Map([['floor', []], ...builds.map((build) => [build.label, []])]);
console.log(`${orders} orders, ${rounds} rounds, ${cpus().length} cores, load ${load()}, ${new Date().toISOString()}`);
try {
  const { scriptFile, ordersFile } = writeImportWorld(temp.dir, orders);
  for (let round = 0; round < rounds; round += 1) {
    const sandbox = await startSandboxProcess(scriptFile);
    try {
      const env = (build) => ({ PANEL_KEY: sandbox.panelKey, XDG_CACHE_HOME: join(temp.dir, `cache-${build.label}`) });
      const cwd = (build) => join(temp.dir, `${round}-${build.label}`);
      for (const build of builds) {
        mkdirSync(cwd(build));
        writeLedgerlineYaml(cwd(build), sandbox);
        // Under the import's flags too: the code cache is kept per set of flags, and the import finds it warm.
        const opening = await measured([build.cli, 'sync', '--as-of', START, '--log-level', 'error'], {
          cwd: cwd(build),
          env: env(build),
          nodeFlags: importFlags,
        });
        if (opening.code !== 0)
          throw new Error(`${build.label} opening sync exited ${opening.code}: ${opening.stderr}`);
      }
      await admin(sandbox, 'POST', '/day', { date: AS_OF });
      const floor = async () => {
        const bare = [join(here, 'bare-panel-import.mjs'), ordersFile, join(temp.dir, `bare-${round}.sqlite`)];
        const run = await measured([...CLI_V8_FLAGS, ...bare, sandbox.panelUrl], {
          cwd: temp.dir,
          env: { PANEL_KEY: sandbox.panelKey },
          nodeFlags: [],
        });
        if (run.code !== 0) throw new Error(`bare panel import exited ${run.code}: ${run.stderr}`);
        results.get('floor').push(run);
        line(round, 'floor', run);
      };
      if (round % 2 === 0) await floor();
      for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
        const args = ['sync', '--as-of', AS_OF, '--orders-file', ordersFile, '--json', '--log-level', 'error'];
        const run = await measured([build.cli, ...args], { cwd: cwd(build), env: env(build), nodeFlags: importFlags });
        if (run.code > 1) throw new Error(`${build.label} import exited ${run.code}: ${run.stderr}`);
        results.get(build.label).push(run);
        line(round, build.label, run);
      }
      if (round % 2 === 1) await floor();
    } finally {
      sandbox.stop();
    }
  }
  const floors = results.get('floor');
  for (const [label, runs] of results) {
    const ratios = runs.map((run, index) => run.cpuMs / floors[index].cpuMs);
    console.log(
      `${label}: median ${(median(runs.map((run) => run.ms)) / 1000).toFixed(2)} s, ` +
        `${(median(runs.map((run) => run.cpuMs)) / 1000).toFixed(2)} s CPU, ${Math.round(median(runs.map((run) => run.peakMb)))} MB; ` +
        `CPU ÷ the floor's in its round ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}`,
    );
  }
  console.log(`load ${load()}, ${new Date().toISOString()}`);
} finally {
  temp.remove();
}
