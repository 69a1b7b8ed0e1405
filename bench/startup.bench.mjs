/**
 * The fixed cost of a command: `ledgerline --version`, `status --json` and `balances` as whole processes, each
 * against `node -e 0` in the same run, in interleaved rounds (so a busy moment of the machine falls on both sides
 * alike), as the median CPU (user + system) of each: each round runs each command BENCH_RUNS times in a row in one
 * shell loop timed by the shell's `times` (bench/support/timed-runs.mjs), finer than /usr/bin/time's 10 ms tick. The
 * ledger is the demo's five weeks (at --size=tiny, a fresh `init` ledger, so the soak does not run the demo), its
 * sandbox clock removed: a command reads no server.
 * Aims (issue 56): --version ≤ 1.3× and balances ≤ 2× node -e 0.
 *
 * 2026-11-26 12:15-12:20 UTC, load 9-14 (2 cores, other sessions' suites running), three runs of this bench:
 * --version 0.92×, 1.08×, 1.31× (110-170 ms against 120-130; 2.08× at load 3 before: main answers it before the
 * CLI loads), balances 4.50×, 4.42×, 4.54×, status --json 5.08×, 4.92×, 4.77×. The builds before and after in
 * interleaved rounds (medians of 21): balances 580 -> 540 ms, status --json unchanged (550, 570). Of a balances,
 * importing the 24 chunks it loads and running nothing is ~380 of its ~470 ms: V8 compiling 1.7 MB of chunks
 * (~20 % of the profile: cli/load.ts reaches every source kind, and through them the sync, backfill and sources'
 * clients), their top levels building zod schemas (~12 %), yaml's and kysely's modules; the configuration's own
 * parse and check ~20 %. Tried and measured, no gain under this load: zod's jitless mode, yaml's ESM build,
 * comments and blanks stripped from the chunks. Node 20.20 has no module.enableCompileCache (Node 22) and no code
 * cache for ES modules; a start-up snapshot cannot hold better-sqlite3's addon.
 * 2026-11-26 18:25-18:31 UTC, load 34-36, the build before and after the store's open stopped asking kysely's
 * Migrator (it read every table's columns) in interleaved rounds, medians of 11, node -e 0 140 ms: --version
 * 1.21× -> 1.14×, status --json 4.86× -> 4.79×, balances 4.36× -> 4.21× (610 -> 590 ms); the open alone, in a
 * fresh process, 25 -> 11 ms. Left: the source kinds' registry still brings the sync, the backfill and the
 * sources' clients into every command that reads the configuration.
 * 2026-11-26 20:23-21:25 UTC, load 6-25 (2 cores shared), the source kinds keeping eager only what the configuration
 * needs (their close, replay and probe `import()`ed when first called): a balances run loads 1.60 MB of chunks instead
 * of 1.79 MB, and none with a source client, close, replay, the sync or the backfill (test/cli/command-start.test.ts).
 * This bench before (load 6): --version 1.08×, status --json 5.25×, balances 4.33×; after, three runs at load 15-25:
 * --version 1.25×, 1.07×, 1.20×; status --json 5.50×, 4.86×, 6.50×; balances 5.25×, 4.14×, 5.40× (node -e 0 100-140
 * ms). The builds before and after in interleaved rounds, medians: balances 590 -> 560 ms and status 680 -> 650 (11
 * rounds, load 19-24), then 530 -> 590 and 650 -> 720 (15 rounds, load 17): within this load's noise. Counted by
 * valgrind instead (callgrind, instructions of all threads, the same every run): node -e 0 0.510 G, balances 1.432 G
 * before, 1.423 G after (-0.6 %): V8 only pre-parses a function it never calls, so the chunks no longer loaded cost
 * little. Of the 1.42 G: 0.42 G is node reading NODE_EXTRA_CA_CERTS, which this machine's environment sets (node -e 0
 * is 80-120 ms CPU with it, 20-30 ms without: the ratios above are against a base inflated by it, for both sides); 0.16
 * G parsing the chunks' top levels (ParseProgram: in proportion to the bytes loaded), 0.18 G compiling the functions
 * that run (lazy compile), GC 0.03 G; the rest is running zod's, yaml's and kysely's code and ours. A code cache would
 * take the two compile shares; Node 20 has none for ES modules (module.enableCompileCache is Node 22). Tried: a runtime
 * setFlagsFromString of the GC's threading flags aborts the process; `node --single-threaded-gc` was 15 % less CPU in
 * one run and 13 % more in the next.
 * 2026-11-27 01:45-02:45 UTC (startup branch), load 10-30. Counted by callgrind (Ir, all threads) on the demo's balances:
 * 1.466 G at fab7aec -> 1.409 G (-57 M, -3.9 %) after the configuration's files and the flags are parsed without zod's
 * compiled fast path (`{ jitless: true }` per one-shot parse: 53 M of it) and node-cron is required only by a cron check
 * (a configuration without `schedule:` no longer loads child_process, net and dgram). Where the 1.41 G goes: node's
 * own start 0.51 G (0.42 G of it NODE_EXTRA_CA_CERTS' 140 certificates, in node -e 0 too), compiling our modules
 * (CompileModule 0.16 G, lazy function compiles 0.20 G), evaluating their top levels 0.18 G (zod schemas built at
 * import), the rest running the configuration's load (its YAML and zod check) and the read. This bench in the same
 * hour, one run each at load 19-20: --version 1.33x -> 1.21x, status --json 6.67x -> 5.71x, balances 5.33x -> 4.71x
 * (within this load's noise; node -e 0 120-140 ms).
 * A V8 start-up snapshot, measured, not adopted: a CommonJS bundle of zod and yaml building a schema, parsing the
 * demo's ledgerline.yaml and checking it, 1.05 MB, run plainly 329-340 CPU-ms, from `node --snapshot-blob` (a 6.7 MB
 * blob made by `node --build-snapshot`) 180-220 ms, against node -e 0's 130-150 (three interleaved runs of 9, load 19).
 * It would take most of the modules' compile and top-level cost, but a snapshot is only used when node itself is
 * started with --snapshot-blob: `node dist/src/cli/main.js` (the README's, the tests', this bench's) cannot switch to
 * it without a second node start (~130 ms, the whole gain); the blob is tied to the node binary that built it (built
 * at `npm run build`, not shipped); the CLI would have to be one CommonJS bundle without top-level await, with
 * better-sqlite3's addon and the vendors' SDKs required after the snapshot's main starts. Node 20 has no compile
 * cache for ES modules (module.enableCompileCache is Node 22.1).
 * 2026-11-27 04:30-05:27 UTC (startup2 branch), load 5-27. The CLI's bundle is CommonJS (scripts/bundle-cli.mjs) and
 * every CommonJS file it loads is compiled through a V8 code cache (src/runtime/code-cache.ts, under
 * $XDG_CACHE_HOME/ledgerline, written at the first run's exit). `node bench/run.mjs startup`, 9 rounds: main's ESM
 * build (load 5) node -e 0 100, --version 120 (1.20x), status --json 630 (6.30x), balances 530 (5.30x); this build
 * with LEDGERLINE_CODE_CACHE=off (load 11-12) 130, 170 (1.31x), 650 (5.00x), 560 (4.31x); with the cache (load 25-27)
 * 120, 140 (1.17x), 430 (3.58x), 380 (3.17x). In interleaved rounds (10, load 19-23), balances 0.475 CPU-s without
 * the cache, 0.365 with it (node -e 0 0.11). Counted by callgrind (Ir, all threads, one run each, the cache warm):
 * 1.409 G on main (ESM) -> 1.322 G as CommonJS without the cache -> 1.134 G with it (node -e 0 0.51 G): compiling
 * the scripts is 37 M of deserializing instead of 0.16 G, the lazy compiles 64 M instead of 0.165 G. Made when? A cache written at exit (with the functions the run compiled)
 * beat one written right after the compile (0.46) or after the top level ran (0.47); --no-flush-bytecode changed
 * nothing (0.37). The vendors' SDKs required alone, through the cache and not (5 pairs each, load 16-19): xero-node
 * 615 vs 673 CPU-ms (the four together load about 1,000 files: the cache takes only their compile), intuit-oauth
 * 249 vs 315, undici 137 vs 168, pg 83 vs 72 (small files: the cache's read and hash cost what they save).
 * A whole `post xero` to the Xero fake (the demo's books served again by `sandbox --resume`: nothing left to post, 4
 * API calls), 7 interleaved rounds at load 19-25: 0.99 CPU-s with the cache, 1.09 without (node -e 0 0.11): about
 * 9x node -e 0, of which requiring xero-node is about 0.6 s.
 * Left: balances is still 3.2x (aim 2x): the top levels' zod schemas and the configuration's load.
 * 2026-11-27 06:40-07:45 UTC (startup3 branch), load 4-20. Counted by callgrind (`valgrind --tool=callgrind
 * --trace-children=no`, Ir of all threads, demo ledger's balances, the code cache warm): main (f934db4) 1.181 G and
 * 1.185 G, this branch 1.123 G and 1.124 G (-5 %; node -e 0 0.501 G; under load one run of the same build gave 1.35 G,
 * so only pairs run back to back are compared). What went: node-cron (and child_process, net, dgram with it) loaded
 * only to check schedule.cron, which balances never uses (ConfigNeeds' onlyReads; every other command still checks
 * it); the configuration checked twice with a newly built schema when the file has no entities:; the entities:
 * schema (every destination section again, as partials) built for files without it; 184 schemas built at import for
 * code balances never calls, now z.lazy (zod's own built-once wrapper): 839 schemas built per balances -> 509.
 * This bench, the same hour: main (load 6-8) node -e 0 120, --version 140 (1.17x), status --json 520 (4.33x),
 * balances 440 (3.67x); this branch (load 6-7) 130, 150 (1.15x), 520 (4.00x), 420 (3.23x). Interleaved, 15 rounds
 * (load 7-9): balances 390 -> 380 CPU-ms: the instructions saved are mostly cheap ones (V8 compiling node's own
 * child_process, net and dgram from its snapshot's code), so CPU moves less than Ir.
 * Measured, not adopted: a young generation big enough that balances never scavenges (`--min-semi-space-size=16`:
 * 6 scavenges -> 0) costs more Ir (1.162 G against 1.135 G) and no less CPU (430 against 420 ms, 11 interleaved
 * rounds); the YAML read without a LineCounter (lines counted by a second Parser pass only when a problem is placed)
 * and without prettyErrors: 1.128 G against 1.127-1.139 G, within the run-to-run spread; with the code cache warm the
 * parse is yaml's own work on the file, not its compile. Where a balances run goes now (--cpu-prof, 5 runs, shares of
 * the samples): the modules' top levels and require 31 %, compiling 9 % (deserializing the cache), node's built-ins
 * 8 %, the YAML of ledgerline.yaml 8 % and of the chart 8 %, GC 8 %, zod's schemas built 10 %, zod's check 1 %.
 * Left for 2x (about 240 ms): what the modules do at load (kysely's, the store's, the registries'), the two YAML
 * parses (a value cache keyed by the file's bytes would take most of 16 %), and node -e 0's own 120 ms, 90 of them
 * NODE_EXTRA_CA_CERTS, in both sides of the ratio.
 * Period reads at 100,000 lines (`BENCH_LINES=100000 BENCH_ROUNDS=5 node bench/run.mjs period-reads`, load 4-8,
 * smallest CPU): balances 250 ms against sqlite3's GROUP BY 100 (2.50x), the report 390 against 120 (3.25x). At this
 * size the GROUP BY as a process costs less than `node -e 0` on this machine (120 ms), so no Node process reaches 1.0x
 * here; what balances adds over node -e 0 (about 130 ms) is the start above, not the read (the daily movements).
 *
 *   npm run build && node bench/startup.bench.mjs
 *
 * 2026-11-27 08:18-08:20 UTC, the eighth round's merged tree (005929e), idle (load 1.5 -> 1.2), three runs (15, 21,
 * 21 rounds): node -e 0 110/120/120 CPU-ms, --version 150 (1.36x/1.25x/1.25x: the 10 ms tick of the CPU clock),
 * status --json 400/450/460 (3.64x/3.75x/3.83x), balances 350/380/390 (3.18x/3.17x/3.25x; aim 2x, not met). Last
 * round's idle figures: 1.25x, 4.17x, 3.42x.
 * 2026-11-27 09:06-09:58 UTC (startup4 branch), load 12-35. This bench now runs each command BENCH_RUNS times per round
 * in one shell loop timed by bash's `times` (to the ms: a run's CPU to a third of a ms at 3 runs, not /usr/bin/time's
 * 10 ms tick). `BENCH_ROUNDS=9 BENCH_RUNS=3 node bench/run.mjs startup`, the round's merged tree (a8065799, built into
 * a copy) and this branch alternately, load 17-23: node -e 0 67-70 CPU-ms on both; --version 85/86 ms (1.26x/1.28x)
 * -> 78/75 (1.11x/1.13x); status --json 299/291 (4.42x/4.32x) -> 248/237 (3.54x/3.56x); balances 254/246
 * (3.75x/3.65x) -> 178/166 (2.54x/2.50x; aim 2x, not met). Counted by callgrind (Ir, all threads, demo's balances,
 * caches warm; node -e 0 0.506 G, 0.42 G of it NODE_EXTRA_CA_CERTS): 1.109-1.140 G -> 0.965 G with the configuration's
 * and the chart's checks kept (src/config/checked-cache.ts: no YAML parse, no zod check, no time zone check on a hit)
 * -> 0.925 G with the CLI's own chunks compiled through the code cache (the search for import() had matched
 * "import (CSV)" in the 313 KB chunk holding yaml, compiled uncached on every run) -> 0.933 G after the configuration's
 * sections and the bank statement's and the panel's entry schemas are built only when a file is checked (422 zod
 * schemas built per balances -> 273; 0.947 -> 0.934 G in a pair). status --json 1.373 -> 1.308 G. --version answered
 * by main.js before the code cache loads: 0.556 -> 0.537 G (an empty ES module is 0.520 G).
 * Measured, not kept: yaml required only when a file is parsed (out of the bundle, from node_modules' ~70 files): a
 * hit 0.943 -> 0.923 G but a miss (a file whose ${VAR}s are set is never kept: sync, post) 1.086 -> 1.200 G.
 * Where a balances hit goes now (callgrind, of 0.93 G): node's start 0.51; the first localeCompare (account totals'
 * sort) 69 M, 7.4 %: ICU builds the collator's locale set (BuildLocaleSet), which a comparator cannot skip without
 * knowing the default locale (`LANG=da_DK` sorts "aa" after "z"; en-US-POSIX sorts "_" after digits), and reading that
 * costs a DateTimeFormat (117 M); deserializing the code cache 60 M (kysely's 600 KB chunk the most); lazy compiles
 * 49 M; the code cache's sha1 keys 24 M; the rest the modules' top levels, 273 schemas, the read and GC.
 * 2026-11-27 11:43-12:32 UTC (leanreads branch), load 1-20. Counted by callgrind first (Ir, all threads, the demo's
 * balances, one run with the cache warm; node -e 0 0.50-0.51 G): main (61a4284) 1.146-1.161 G when the code cache was
 * written by a long first run (the demo: this bench's own order, and any machine's whose first command was a sync),
 * 0.934-0.936 G when written by a balances. Of the 1.149 G: NODE_EXTRA_CA_CERTS 416 M; lazy compiles 261 M, 142 M of
 * them parsing 38 files whole again (ParseProgram): a file's cache is written once, at the exit of the first run that
 * loads it, and by then a long run had V8 flush the bytecode of every file's top level; ICU's collator locale set (the
 * first localeCompare) 67 M; reading the chunks as UTF-8 40 M; deserializing the cache 36 M; the cache's sha1 keys 24
 * M; kysely's schema introspection at the open (Migrator.getMigrations reads every table's columns; --cpu-prof 1.5 %).
 * Each change counted in a pair: the code cache sets --no-flush-bytecode and keys a chunk by the build id and its
 * length, not a sha1 of its text (demo first 1.151 -> 0.918 G, balances first 0.936 -> 0.892); the store orders names
 * as localeCompare does without ICU where the locale (LC_ALL, LC_MESSAGES, LANG, as ICU picks it, handed over by the
 * CLI's start) is one checked to order as root and both names are ASCII letters, digits, _ - . (da_DK and anything
 * else: ICU, as before) (0.892 -> 0.816); the SQLite open counts pending migrations from kysely_migration itself
 * (0.816 -> 0.802); the bundle is ASCII without comments (rolldown's charset 'ascii'): every chunk held a non-ASCII
 * character, so V8 kept each whole text as two bytes a character (0.802 -> 0.782). This branch at the end: 0.776 G
 * balances first (main 0.934, -17 %), 0.801 G demo first (main 1.161, -31 %); with env -u NODE_EXTRA_CA_CERTS on both
 * sides node -e 0 0.084 G, balances 0.519 G on main -> 0.358 G.
 * This bench, BENCH_ROUNDS=9 BENCH_RUNS=3, each build with a fresh XDG_CACHE_HOME (both caches written after the
 * bench's demo), main and this branch in turns, 12:11-12:26 UTC, load 9-18: node -e 0 62.7-63.7 CPU-ms on both;
 * --version 1.14-1.15x -> 1.12-1.13x; status --json 3.94-4.02x -> 3.18-3.56x; balances 2.97-3.03x (186-191 ms) ->
 * 2.27-2.31x (143-146 ms). With env -u NODE_EXTRA_CA_CERTS on both sides (node -e 0 22.7-23.7 ms): --version
 * 1.32-1.41x both; status --json 8.94-9.36x -> 6.77-8.31x; balances 6.42-6.51x (150-152 ms) -> 4.31-4.71x (101-107).
 * Aim 2x not met: what balances adds to node's start is still ~80 CPU-ms for ~0.27 G instructions (minor page faults
 * 7,400 against node -e 0's 2,200). What is left is what it loads, 1.73 MB of chunks: kysely's (606 KB: kysely 408 KB,
 * the 33 migrations ~150 KB), which the open, the identity read and the totals reach through the store's adapters
 * (books.ts imported every repository through the store's ports then): a read served by prepared better-sqlite3 statements
 * needs the composition root to import the adapters only when a command asks for one (cli/load.ts importing
 * app lazily, Books.open loading the store) and a migration list that does not load the migrations; and
 * yaml (228 KB, in the chunk with the mappings loader), which a kept check never calls but loadConfig, being
 * synchronous, cannot import() when a file must be parsed. Lazy compiles are still 49 M (1,391 functions; node -e 0
 * 11 M). Note for profiling: --log-function-events makes V8 reject every code cache (cachedDataRejected), so it
 * shows a cold start.
 * 2026-11-27 12:40-13:04 UTC (leanreads2), load 4-13, the demo's balances with a cache written by a balances, against
 * this branch before it (0ea8f4e). Callgrind pairs: the migrations out of a read's load path (both engines' opens count
 * pending ones from migrations/names.ts; their code, 83 KB of chunk, is import()ed only to migrate) 0.7768, 0.7695,
 * 0.7754 G -> 0.7756, 0.7731, 0.7675: within the pairs' own spread (+-0.5 %); loading a chunk through the code cache
 * costs about 15 M instructions a MB, so the store's unused repositories (~110 KB of its 185 KB chunk) and yaml (207
 * KB) would be worth ~2 and ~3 M. A file costs more than its bytes: better-sqlite3's JavaScript inlined (16 files node
 * resolved and loaded, one chunk now; the store names the addon) 0.768, 0.772 -> 0.755, 0.757 G (-1.7 %); csv-parse (a
 * 42 KB chunk) required only when a sources table is read 0.755, 0.757 -> 0.757, 0.755 G (within noise, kept: a read
 * loads one chunk fewer). This bench, BENCH_ROUNDS=9 BENCH_RUNS=3, fresh caches, before and after in turns (after:
 * 4128539, before csv-parse), 13:00-13:03 UTC, load 4-7: balances 130.7-131.0 -> 125.7-128.0 CPU-ms, 2.14-2.17x ->
 * 2.14-2.15x node -e 0 (58.7-61.3 ms); --version 1.12x both; status --json 3.02-3.03x -> 3.00-3.03x. With env -u
 * NODE_EXTRA_CA_CERTS on both sides (node -e 0 22.0-22.7 ms): balances 93.0-94.0 -> 89.3-90.3 ms, 4.15-4.23x ->
 * 3.99-4.06x. Left (callgrind against node -e 0 by function; --cpu-prof, 5 runs at 50 us): the ES module entry
 * (main.js) starts node's ES module loader, ~18 M (an empty .mjs against an empty .cjs: 0.517 against 0.499 G; a
 * CommonJS bin, main.cjs, would skip it); zod is 12 % of the JavaScript's samples, most of it schemas built at load
 * (field-schemas' top level 3.4 %, the flags' 1 %) though a kept configuration check validates nothing; node's own
 * modules compiled at first require 4.9 % (crypto ~9 M, loaded by ledger.ts and the configuration's fingerprint anyway;
 * streams ~5 M; fs/promises ~3 M); scavenges ~18 M (a larger young generation cost more).
 * 2026-11-27 12:39-13:00 UTC (status2 branch), load 2-15. What status --json does beyond balances (--cpu-prof, 5 runs
 * each on main 61a4284, shares of status's samples; status 138 ms of samples a run, balances 90): its command's
 * modules 21 % (balances' 16 %: status-facts, transit, reconcile, the chain checks, the sync report, the fleet view and
 * the exception queue), the schedule's next run 5.5 % (a node-cron task started, matched twice, destroyed; its time
 * zone's DateTimeFormat), the money in transit 4 % (3 of it the first localeCompare: ICU's collator, which balances
 * pays in its own sort), SQLite's quick_check 2 %, the chain check 1.4 %, the token store 1.4 %, the last sync's zod
 * parse 1.3 %. Cut: the fleet view's and the exception queue's reads and schemas loaded only for --fleet and
 * --exceptions (4 chunks); the next run from the task's matcher, not started. Main's build and this branch
 * alternately, twice (`BENCH_ROUNDS=9 BENCH_RUNS=3`, load 2.4-2.9): status --json 191/200 -> 186/189 CPU-ms
 * (3.20x/3.26x -> 3.13x/3.06x of node -e 0's 59-62); with `env -u NODE_EXTRA_CA_CERTS` on both sides (load 3-5) 166 ->
 * 144 (7.10x -> 6.55x of 22-23 ms; balances, unchanged, 113 -> 107 in the same runs: the noise). Callgrind (Ir, status
 * --json, caches warm, back-to-back pairs, load 2-3): 1.218 -> 1.206 G and 1.218 -> 1.210 G (-1 %). Output byte for
 * byte the same (status and --fleet, --exceptions, each with and without --json, on the demo's books).
 * Measured, not kept: node-cron required from node_modules as the configuration's cron check requires it (one copy
 * instead of two; the status-facts chunk 70 -> 18 KB): with the code cache off the two builds cost the same (254/256
 * CPU-ms), with it 40 ms more (196 -> 236, 3 rounds; callgrind 1.14 -> 1.38 G, ParseProgram 24 -> 167 M), gone with
 * --stack-trace-limit=0 (204/208): a stack captured through the bundle's chunks made V8 re-parse code the cache had
 * given it (which Error, not pinned down). Left: the first localeCompare and the first DateTimeFormat (ICU's locale
 * sets, ~10 % of the Ir), status's own modules' top levels, and node -e 0 in both sides of the ratio.
 * 2026-11-27 14:15-15:10 UTC (startup5 branch), load 6-17, the demo's balances with a cache written by a balances.
 * Callgrind (Ir, all threads, `node --single-threaded` on both sides: V8's background compiles made one build's runs
 * differ by 15 M, single-threaded by 1-5 M), main (8c890fd) against this branch in back-to-back pairs: 816-826 M ->
 * 780-792 M (-4 %). What went: node's ES module loader (main.js is now a link to main.cjs, main.ts bundled as CommonJS:
 * node decides an entry's format by the file a link names; 131 of node's modules loaded -> 113); process.stdin built
 * for every command (run-cli handed it over eagerly: for /dev/null or a file that loads fs's streams and fs/promises,
 * eight of node's modules, compiled from source because node's own code cache is refused once the CLI sets its V8
 * flags: 16 M when no ES module loader had loaded them before the flags); node's resolution of each of the bundle's
 * ~30 files (a stat, realpath of every folder, the package.json of each folder above for a self-reference): the code
 * cache loads `./x.cjs` of the bundle as the file beside it (818-826 -> 790 M with the two above); yaml (225 KB of
 * the mappings loader's chunk) required only when a file is parsed, as one bundled file the code cache hands the
 * bundle for `yaml` (hit 790-796 -> 780-784 M in pairs; a miss, the configuration changed, 860 -> 858-862 M: the
 * same). This bench, BENCH_ROUNDS=9 BENCH_RUNS=3, fresh caches, main's build (a frozen copy) and this branch in
 * turns, 14:51-14:59 UTC, load 6.5-16: node -e 0 61-66 CPU-ms on both; balances 138.7/139.7/141.7 ms
 * (2.19x/2.11x/2.17x) -> 133.3/138.0/128.0 (2.06x/2.11x/2.10x); status --json 194/197/199 (3.06x/2.96x/3.04x) ->
 * 182/187/172 (2.81x/2.86x/2.82x); --version 70/74/73 (1.11x/1.12x/1.12x) -> 68/68/64 (1.05x/1.04x/1.05x). Aim 2x
 * for balances not met (2.06-2.11x). With env -u NODE_EXTRA_CA_CERTS on both sides (15:03-15:05, load 7.7-7.8, one
 * run each, node -e 0 22.0 ms on both): balances 88.7 -> 83.7 ms (4.03x -> 3.80x), status --json 137.3 -> 130.0
 * (6.24x -> 5.91x), --version 29.7 -> 24.7 (1.35x -> 1.12x: the ES module loader was a fifth of its cost).
 * Period reads at 100,000 lines (`BENCH_LINES=100000 BENCH_ROUNDS=5 node bench/run.mjs period-reads`, 15:01-15:02,
 * load 8-11, this branch then main; /usr/bin/time's 10 ms tick): balances 110 ms against the GROUP BY's 70 (1.57x)
 * here, 120 against 60 (2.00x) on main; the report 140/80 (1.75x) here, 130/80 (1.63x) on main: within the tick.
 * --no-flush-bytecode in a long-running command (the code cache sets it for every command): `serve` on the demo's
 * books, each step three requests (the console's page from a moving date, its periods page, an export it refused),
 * VmRSS after 1, 50, 150, 300 and 500 steps: with it 85.9, 120.5, 121.6, 123.4, 123.4 MB; without it (the setting removed from a copy of the
 * build) 85.8, 119.0, 120.7, 123.1, 122.4 MB. It levels off: the bytecode kept is the code that was compiled, which
 * the flushing would only drop between uses; the long-running commands keep it.
 * Measured, not built: the field schemas built lazily. With the check kept a balances builds 273 zod schemas (an
 * instance counted per zod constructor call): field-schemas 66, the HTTP wire readers 50 (the wire and webhook
 * readers built at the top of modules that share a chunk with what balances needs), the global flags 41, the Xero
 * and QuickBooks sections 45, the chart's schemas 25. Requiring field-schemas' chunk once zod has built its first
 * schemas costs 2.4 CPU-ms at load 12 (3 runs); the first schemas of a process cost ~6 ms more, whoever builds them
 * (the flags do). The sections' schemas are parsed by tests and walked by zod-problems (did-you-mean) and entities
 * (partial) as ZodObjects, so they would have to become builders (`xeroSection()`), not z.lazy. kysely (most of a
 * 330 KB chunk) still loads: every query is built with it, the store's ports import every
 * repository, and the helpers the writes share (insertRows in ledger-store.ts) use its sql tag; taking it out of a
 * read needs the read's repositories written as plain statements and the ports imported when first asked for.
 * 2026-11-27 15:20-15:27 UTC (startup6, on the startup5 branch), load 2.7-8.9: balances loads no kysely. Its two
 * reads (the ledger's identity, the running totals) are prepared statements on SQLite, kysely's handle is made when a
 * query is first built, and kysely (283 KB) and the store modules that build a statement as they load are chunks
 * required on first use (scripts/bundle-cli.mjs), so the ports stay as they were. Callgrind, --single-threaded pairs
 * against the branch before it: 797-808 -> 776-779 M. This bench, BENCH_ROUNDS=9 BENCH_RUNS=3, main (8c890fd, a
 * frozen build) and the branch in turns 15:23-15:25, load 3.6-4.1: balances 2.17x/2.17x/2.15x -> 1.96x/1.92x/1.93x
 * (137/139/135 -> 123/118/120 ms; node -e 0 61-64 on both), status --json 3.02x/3.04x/2.97x -> 2.88x/2.96x/2.84x
 * (it still loads kysely: its counts are built with it); against the branch before it (15:25-15:27, load 2.7-3.0)
 * balances 2.03x/2.02x -> 1.89x/1.96x. With env -u NODE_EXTRA_CA_CERTS (15:25, load 3.1, one run each, node -e 0
 * 22.7 ms on both): balances 95.3 -> 82.0 ms (4.21x -> 3.62x), status --json 152 -> 142 (6.71x -> 6.26x), --version
 * 31.3 -> 26.7 (1.38x -> 1.18x), main -> branch.
 * 2026-11-27 15:43-16:03 UTC (balances7 branch), load 1.7-3.4. A balances with its checks kept built 273 zod schemas
 * (an instance counted per zod constructor call) and parsed with none of them; now 128, the rest built at their first
 * parse (z.lazy, or built once when asked for): the wire and webhook readers' shared fields (273 -> 238), the chart's
 * schemas (-> 213), the Xero and QuickBooks sections (the kinds' sectionSchema unwraps them to check a file; -> 170),
 * the configuration's field schemas and the payout schedule (-> 128). Left: the flags (23 global, 21 balances'), the
 * payouts object, the kinds' lazy wrappers. Callgrind (Ir, `node --single-threaded`, caches warmed under the same
 * flags: a cache warmed without them is another folder and the first counted run is cold, ~1.18 G), V8's hash seed
 * left out (detail::sprp, 4-14 M, random run to run): main (1934f6b) 769.6-770.4 M -> 753.6-757.9 M (-2.1 %). This
 * bench, BENCH_ROUNDS=9 BENCH_RUNS=3, fresh caches, main's build (a frozen copy) and this branch in turns, five each
 * 15:58-16:03 (node -e 0 72-93 CPU-ms): balances 2.21/2.20/2.05/2.16/1.96x -> 1.97/2.10/1.89/1.99/1.94x (medians 2.16x
 * -> 1.97x); status --json 3.55/3.40/3.20/3.25/2.85x -> 3.11/3.14/3.00/2.98/2.99x; --version 1.06-1.10x both. With
 * env -u NODE_EXTRA_CA_CERTS (16:00, one run each, node -e 0 31 ms on both): balances 111.3 -> 104.7 ms (3.55x ->
 * 3.38x), status --json 193.0 -> 187.3. Under 2x in four runs of five, not by a margin: what is left is node's start
 * in both sides, the chunks' load through the code cache and the store's open.
 * 2026-11-28 04:38-05:40 UTC (startup branch), load 1-4, main (8f577b95; this branch builds the same build-id): what
 * `transit --as-of 2026-12-31 --json` on an empty migrated ledger (bench/transit.bench.mjs's CONFIG) loads and runs
 * that balances does not. Interleaved, 17 rounds of 3 runs (shell `times`, medians): node -e 0 50.0 CPU-ms, the empty
 * transit 96.7 (1.93x), balances on the demo 92.7 (1.85x); at 04:38, 9 rounds, 50.7 / 100.0 (1.97x) / 94.7 (1.87x).
 * `node bench/run.mjs transit` (05:39, load 2.3): node -e 0 51, the empty ledger's transit 102. Callgrind (Ir, caches
 * warm): node -e 0 0.502 G, the empty transit 0.738-0.763 G, balances 0.721-0.746 G. The two load the same 46 node
 * modules (crypto, streams, vm, v8, parse_args) and the same chunks up to the command's; the transit adds its own
 * (transit, transit-terms, bank-balance-check, transit-documents, transit-text: ~40 KB), kysely's chunk (283 KB,
 * 2.5 CPU-ms: required by the store's transit items, built with kysely in store-statements, and by the bank documents'
 * outbox query) and store-statements (1 ms). The code cache serves the transit as well as balances: a cache written by
 * a transit first and one written by migrate, balances, then transit give 0.765-0.770 against 0.771-0.773 G.
 * Where a warm transit's ~58 CPU-ms after node's bootstrap go (a require hook timing each chunk, 12 runs): the chunks
 * run-cli requires ~29 (zod's own 5.8, the kinds' and destinations' chunk 3.8 of its own, 9.8 with what it requires,
 * the configuration's modules ~5.6, field-schemas 2.1, ledger-location's schemas 1.7, http 1.8 reached through the
 * kinds' webhook formats), main, start and the code cache ~4.5, the transit's chunks and the composition root ~5.5,
 * the store's open, reads and close ~9 (kysely 2.5 of it). The store's open and close switch the file to WAL and back
 * (sqlite-ledger-store.ts: a writer leaves the file in rollback-journal mode): on this empty ledger an open, one read and
 * a close cost 2.3-2.8 CPU-ms and 29-40 ms of wall time with the switch, 0.8-0.9 and 2.3-2.4 without (20 in a row, in
 * process), paid by every command, reading ones included.
 * Measured, not kept: the HTTP client's chunk required on first use (the lazy require kysely's chunk has) with the wire
 * readers, which the kinds' webhook formats build at load, a chunk of their own: the transit and balances no longer
 * load the client, its retries and its server (30 KB), but 17 interleaved rounds gave 96.7 -> 96.7 (transit) and 92.7
 * -> 91.7 (balances) CPU-ms, callgrind pairs 738-762 -> 741-758 M: within the noise. Note for measuring two builds in
 * turns: each keeps a separate XDG_CACHE_HOME, or each one's cache write prunes the other's files (pruneCodeCache keeps
 * only the current build's) and every run is a miss (1.14-1.17 G instead of 0.74-0.76).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWhenMain, sized, TINY } from './support/bench-size.mjs';
import { timedProcess } from './support/timed-process.mjs';
import { timedRuns } from './support/timed-runs.mjs';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');
const ROUNDS = sized('BENCH_ROUNDS', 15, 2);
/** Runs of each command in a row per round, timed together: one run's CPU to a fraction of a millisecond. */
const RUNS = sized('BENCH_RUNS', 5, 1);

/**
 * A ledger folder with its configuration: the demo's books, or at the tiny size a fresh init's. The books go in
 * a folder of their own: timedProcess leaves its /usr/bin/time file in `dir`, and the demo wants an empty folder.
 */
async function ledgerFolder(dir) {
  const books = join(dir, 'books');
  mkdirSync(books);
  if (TINY) await timedProcess(process.execPath, [CLI, 'init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: books });
  else await timedProcess(process.execPath, [CLI, 'demo', '--dir', books], { cwd: dir });
  const configPath = join(books, 'ledgerline.yaml');
  const config = readFileSync(configPath, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('sandboxClock:'));
  writeFileSync(configPath, config.join('\n'));
  return configPath;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-startup-bench-'));
  try {
    const config = await ledgerFolder(dir);
    const commands = {
      'node -e 0': ['-e', '0'],
      '--version': [CLI, '--version'],
      'status --json': [CLI, '--config', config, 'status', '--json'],
      balances: [CLI, '--config', config, 'balances'],
    };
    const cpu = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, args] of Object.entries(commands)) {
        // status exits 1 when something needs a person (the demo's books have open items): the cost is the same.
        const { cpuMs } = await timedRuns(process.execPath, args, { cwd: dir, runs: RUNS, okCodes: [0, 1] });
        cpu[name].push(cpuMs);
      }
    }
    const base = median(cpu['node -e 0']);
    const ratio = (name) => (median(cpu[name]) / base).toFixed(2);
    return {
      name: 'startup',
      metrics: {
        ledger: TINY ? 'fresh init' : 'the demo (35 days)',
        rounds: ROUNDS,
        'runs per round': RUNS,
        'node -e 0 CPU ms (median)': base.toFixed(1),
        '--version CPU ms (median)': median(cpu['--version']).toFixed(1),
        'status --json CPU ms (median)': median(cpu['status --json']).toFixed(1),
        'balances CPU ms (median)': median(cpu.balances).toFixed(1),
        '--version ÷ node -e 0 (aim ≤ 1.3)': ratio('--version'),
        'status --json ÷ node -e 0': ratio('status --json'),
        'balances ÷ node -e 0 (aim ≤ 2)': ratio('balances'),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runWhenMain(import.meta.url, run);
