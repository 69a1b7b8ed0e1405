// After tsc: the CLI (start.ts, which main.ts requires) rebundled as one file per command, so a process starting
// `ledgerline` loads about 30 files instead of about 740 (the tests spawn it a few hundred times; a cron night starts
// it too). Measured on the 2-core machine, 2026-11-25: `post --help` 0.71 CPU-s from tsc's files, 0.27 bundled.
// main.ts (`--version`, then the code cache turned on and start.cjs required) is bundled too, as main.cjs, and
// dist/src/cli/main.js (what the bin, the README and the tests run) is replaced by a link to it: node starts a
// CommonJS entry without its ES module loader (an empty .mjs 0.517 G instructions, an empty .cjs 0.499 G), and it
// decides an entry's format by the file the link names. The tsc output stays beside it for whatever imports dist/.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'rolldown';

const cli = join(import.meta.dirname, '..', 'dist', 'src', 'cli');

// Pure JavaScript of many small files, inlined; everything else stays in node_modules: native addons (the store
// names better-sqlite3's to it, so its 14 files of JavaScript are inlined: every read opens the ledger, and node
// resolving and loading 16 files cost more than their text), optional requires (pg's pg-native), the vendors' SDKs
// and files read at run time (uplot).
const INLINED =
  /^(kysely|zod|csv-parse|csv-stringify|p-limit|yocto-queue|node-cron|saxes|xmlchars|better-sqlite3)(\/|$)/;

/**
 * The store's modules that build a statement with kysely as they are evaluated (a row statement's text, a shared
 * condition, at the top of the module): in a chunk of their own (store-statements), so that evaluating the store's
 * other modules loads no kysely.
 */
const storeFolder = join(import.meta.dirname, '..', 'dist', 'src', 'store');
const STATEMENT_AT_TOP = /^(export )?const \w+ =\s*(insertRows|updateRows|rowStatement|sql)\b/m;
const storeStatements = new Set(
  readdirSync(storeFolder)
    .filter((name) => name.endsWith('.js') && STATEMENT_AT_TOP.test(readFileSync(join(storeFolder, name), 'utf8')))
    .map((name) => join(storeFolder, name)),
);

const main = join(cli, 'main.js');
// tsc writes main.js through the link a former build left, into main.cjs: its text is taken back as main.js.
if (lstatSync(main).isSymbolicLink()) {
  const text = readFileSync(main);
  rmSync(main);
  writeFileSync(main, text);
}
rmSync(join(cli, 'chunks'), { recursive: true, force: true });
await build({
  input: { main, start: join(cli, 'start.js') },
  // What a group's own modules export may grow by what the chunk around them needs (store-statements below).
  preserveEntrySignatures: 'allow-extension',
  platform: 'node',
  external: (id) => !(id.startsWith('.') || id.startsWith('/') || INLINED.test(id)),
  logLevel: 'warn',
  // Our modules do nothing when imported but define things (no import is for its side effects: a registry
  // fills itself when first imported for its names), so a name reached through an index.ts brings only its own
  // module, not the whole area's: `--version` no longer loads zod and the HTTP server, `balances` neither node:http.
  treeshake: { moduleSideEffects: (id, external) => external || id.includes('/node_modules/') },
  // CommonJS, not ES modules: Node 20 keeps no compiled code for an ES module, but V8 takes a code cache for a
  // CommonJS file (src/runtime/code-cache.ts). Chunks sit one folder below cli/, as the commands did, so
  // `new URL('../main.js', import.meta.url)` still names main.js.
  // A package loaded when first needed (pg-boss) is required, not import()ed: see code-cache.ts's DYNAMIC_IMPORT.
  output: {
    dir: cli,
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    dynamicImportInCjs: false,
    // kysely, and the store's modules that build a statement with it when they are evaluated, each a chunk of its
    // own, required when first used (see below): a read served by prepared statements (balances) loads neither.
    codeSplitting: {
      groups: [
        { name: 'package-kysely', test: /[\\/]node_modules[\\/]kysely[\\/]/ },
        // Their own modules alone: the modules they import stay where they were (errors, the store's helpers).
        { name: 'store-statements', test: (id) => storeStatements.has(id), includeDependenciesRecursively: false },
      ],
    },
    // ASCII only, without comments (the license ones kept): one "—" in a file made V8 hold the whole text as two
    // bytes a character and node decode it as UTF-8 at every start; every chunk had one (a balances read 1.7 MB of
    // them: 0.802 -> 0.782 G instructions, callgrind, 2026-11-27). A string's value is the same, escaped.
    charset: 'ascii',
    comments: { legal: true, annotation: false, jsdoc: false },
  },
});

rmSync(main);
symlinkSync('main.cjs', main);

// kysely's chunk and store-statements are required when one of their exports is first read, not when a chunk naming
// them is: rolldown writes each use of another chunk's export as a read of the required object (`require_x.sql`), so
// an object whose reads require the chunk defers it to its first use. Their modules evaluate nothing but definitions
// (the statements' texts), so when they are evaluated changes nothing but whether they are. A balances loaded
// kysely's 283 KB for the two reads it made (the store's identity, the running totals): 797-808 -> 776-779 M
// instructions (callgrind, --single-threaded pairs, 2026-11-27).
for (const folder of [cli, join(cli, 'chunks')]) {
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.cjs'))) {
    const file = join(folder, name);
    const text = readFileSync(file, 'utf8');
    const lazy = text.replace(
      /^const (require_\w+) = (require\("[^"]*\/(?:package-kysely|store-statements)-[\w-]+\.cjs"\));$/gm,
      (_, binding, required) =>
        `let ${binding}_exports;\nconst ${binding} = new Proxy({}, { get: (_, name) => (${binding}_exports ??= ${required})[name] });`,
    );
    if (lazy !== text) writeFileSync(file, lazy);
  }
}

// yaml as one file beside the chunks, required only when a file is parsed (config/yaml-file.ts): a kept check parses
// none. The code cache (src/runtime/code-cache.ts) hands the bundle this file for `yaml`; node_modules' build is ~70 files.
await build({
  input: { 'package-yaml': createRequire(import.meta.url).resolve('yaml') },
  platform: 'node',
  logLevel: 'warn',
  output: {
    dir: join(cli, 'chunks'),
    format: 'cjs',
    entryFileNames: '[name].cjs',
    charset: 'ascii',
    comments: { legal: true, annotation: false, jsdoc: false },
  },
});

// The build's identity, for the checks the CLI keeps (src/config/checked-cache.ts): a hash of every file it bundled,
// so a rebuilt CLI whose checks may differ never takes another build's.
const bundled = [
  join(cli, 'start.cjs'),
  ...readdirSync(join(cli, 'chunks'))
    .sort()
    .map((name) => join(cli, 'chunks', name)),
];
const identity = createHash('sha256');
for (const file of bundled) identity.update(readFileSync(file));
writeFileSync(join(cli, 'build-id'), identity.digest('hex'));
