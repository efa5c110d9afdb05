/**
 * docs/benchmarks.md from one run (`npm run bench -- --write`): the run's machine and method,
 * its tables, and what the ratios mean, quoting the run's own figures.
 * @module
 */
import type { BenchReport, OperationResult, StoreName, StoreReport } from "./bench-report.js";
import { count, significant, times } from "./format-figures.js";
import { renderResults } from "./render-results.js";
import { renderTargets } from "./scenarios/render-scenarios.js";

type Measured = Extract<StoreReport, { status: "measured" }>;

function measured(report: BenchReport, store: StoreName): Measured | undefined {
  const found = report.stores.find((entry) => entry.store === store);
  return found?.status === "measured" ? found : undefined;
}

function operation(report: BenchReport, store: StoreName, name: string): OperationResult | undefined {
  return measured(report, store)?.operations.find((op) => op.name === name);
}

/** Index of the commit baseline of the SQL stores. */
const COMMIT = 1;

/**
 * "12.4×" for an operation of this run against baseline `base` (0: the round trip), or a dash
 * when the store was not measured.
 */
function ratio(report: BenchReport, store: StoreName, name: string, base = 0): string {
  const found = operation(report, store, name)?.ratios[base];
  return found === undefined ? "–" : times(found.ratio);
}

/** "880 µs" for an operation of this run, or a dash. */
function micros(report: BenchReport, store: StoreName, name: string): string {
  const op = operation(report, store, name);
  return op === undefined ? "–" : `${significant(op.absolute.medianUs)} µs`;
}

/** Statements per call of an operation in this run, or a dash. */
function statements(report: BenchReport, store: StoreName, name: string): string {
  const found = operation(report, store, name)?.statements;
  return found === undefined ? "–" : count(found);
}

function baselineMicros(report: BenchReport, store: StoreName, base = 0): string {
  const found = measured(report, store)?.baselines[base];
  return found === undefined ? "–" : `${significant(found.absolute.medianUs)} µs`;
}

/** "20 calls a sample, 1000 for the Map baseline": LOCAL's batches in this run. */
function localBatches(report: BenchReport): string {
  const local = measured(report, "LOCAL");
  if (local === undefined) return "several calls a sample";
  const batch = local.operations[0]?.absolute.batch ?? 1;
  return `${batch} calls a sample, ${local.baselines[0]?.absolute.batch ?? 1} for the Map baseline`;
}

function header(report: BenchReport): string[] {
  const { machine, method } = report;
  const stores = report.stores.map((store) =>
    store.status === "measured"
      ? `- **${store.store}**: ${store.version}; ${store.settings}`
      : `- **${store.store}**: ${store.status}: ${store.note}`,
  );
  return [
    "# Benchmarks",
    "",
    "How fast the job cache's operations are on each store, as **ratios against baselines",
    "measured in the same run on the same store**, with absolute times for context. The tables below",
    "are one run of `npm run bench -- --write` (bench/run-benchmarks.ts), which rewrites this file;",
    "edit the text in bench/render-document.ts rather than here. Nothing asserts a time limit: the",
    "figures are for reading, and for comparing runs on one machine.",
    "",
    "```sh",
    "npm run bench                              # everything (several minutes, progress on stderr)",
    "npm run bench -- --write                   # and rewrites docs/benchmarks.md",
    "npm run bench -- --stores LOCAL,SQLITE     # only some stores (and servers for the scenarios)",
    "npm run bench -- --scenarios calls,drain   # only some parts: calls, lifecycle, drain,",
    "                                           #   contention, scale, main-job, peers",
    "npm run bench -- --quick                   # a minute instead of several; rough figures",
    "npm run bench -- --json                    # the whole report as JSON",
    "```",
    "",
    "POSTGRESQL uses `JOBCACHE_BENCH_PG_URL` (else `JOBCACHE_TEST_PG_URL`, else",
    "`postgres://postgres@127.0.0.1:5432/test`) and MARIADB `JOBCACHE_BENCH_MYSQL_URL` (else",
    "`JOBCACHE_TEST_MYSQL_URL`, else `mysql://root@127.0.0.1:3306/test`); a server that does not answer",
    "is skipped with a note saying how to start it, and the run goes on. SQLITE uses a fresh file in the temp folder.",
    "",
    "## This run",
    "",
    `- Date: ${report.date.replace("T", " ").replace(/\.\d+Z$/, " UTC")}; the run took ${Math.round(report.durationMs / 1000)} s.`,
    `- Code: commit ${report.commit ?? "(unknown)"}; every figure below is from this one run of that commit.`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}.`,
    `- Load average (1 min): ${machine.loadAverage.toFixed(2)} at the start, ${report.loadAverageAtEnd.toFixed(2)} at the end.`,
    "  A load above the core count means other work shared the machine during the run (for example",
    "  database servers, other test runs), and the figures are noisier than on a quiet",
    "  machine (see the range column).",
    ...stores,
    "",
    "## Method",
    "",
    "- Each store gets a place of its own: LOCAL a new manager, SQLITE a temp file (removed",
    "  afterwards), POSTGRESQL a new schema and MARIADB a new database (both dropped afterwards). The",
    "  schema is deployed by the store itself (`autoDeploy`).",
    "- Every operation goes through the public API (`createJobCacheManager`, `getCache`), with argument",
    "  validation and the default value codec, as an orchestrator calls it. The value is a small job",
    "  record (`{ job, step, params: { region, shards } }`, about 100 bytes encoded).",
    "- **Baselines**, through the store's own Kysely instance and pool (the SQL store is opened as",
    "  the `JDBC` plugin opens it, under a benchmark protocol that keeps hold of its Kysely instance):",
    "  - *select 1*: one round trip, no I/O on the server: the least any statement costs;",
    "  - *commit*: `update bench_commit set n = n + 1 where id = 1` on a one-row table of the",
    "    benchmark's own, autocommitted: one round trip and one durable commit, the least any write",
    "    costs;",
    "  - LOCAL's only baseline, *Map get+set*: `map.set(key, map.get(key) + 1)` on a Map of 1000",
    "    string keys, the least an in-memory store does per call.",
    "- **Operations**, each on a cache of its own:",
    "  - *grant+close*: `openTicket(key, 1)` then `closeTicket`, cycling over 100 existing entries;",
    "  - *full step*: `openTicket`, `updateEntry` (new status and value), `closeTicket`, cycling over 100 entries;",
    "  - *renewTicket*: renewing one live ticket again and again (a heartbeat);",
    "  - *createEntry*: `createEntry` under a fresh `openNewTicket` ticket; opening and closing that",
    "    ticket happen outside the timed part;",
    `  - *queryStatus*: \`queryStatus(["QUEUED"], { limit: 10 })\` over ${method.queryEntries} entries of that status;`,
    "  - *openTicket*, *openNewTicket*, *updateEntry*, *deleteEntry*, *closeTicket*, *readEntry*: that",
    "    one call alone in the timed part, the tickets it needs opened and closed around it untimed.",
    "- Before timing, POSTGRESQL and MARIADB run `ANALYZE` on both tables, as autovacuum and InnoDB's",
    "  automatic statistics would soon after the tables fill; SQLite never analyzes on its own and is",
    "  measured as deployed.",
    `- **Timing**: ${method.timer}. ${method.rounds} rounds; in each, every case (the baselines`,
    `  first, the order reversed every other round) runs for ${method.taskTimeMs} ms and at least`,
    `  ${method.minSamples} samples, after a ${method.warmupMs} ms warm-up before the first round. LOCAL calls are`,
    `  batched (${localBatches(report)}) so the timer's own cost stays small; SQL calls are timed one`,
    "  by one.",
    "- **Ratio** = median call time of the operation / median call time of the baseline, *within one",
    "  round*; the table gives the median of those over rounds, and the smallest and largest (*range*).",
    "  Rounds are short and interleaved, so a slow spell of the machine slows a baseline and the",
    "  operations alike. *median µs* is the median over rounds of each round's median call time, and",
    "  *rounds µs* the fastest and slowest round; every round counts once, as in the ratios. *calls/s*",
    "  is 1 / median µs (one client, one call at a time).",
    "- **Statements**: SQL statements one call sends (BEGIN and COMMIT count), counted from Kysely's",
    "  query log over five untimed calls.",
    "- **Scenarios** (bench/scenarios), on POSTGRESQL and MARIADB, each in a schema or database of",
    "  its own, against a **replay of TRAC's JDBC job cache** on tables of its own in the same place,",
    "  through the same pool (bench/scenarios/trac-replay.ts): a grant is a transaction of ticket",
    "  INSERT, entry SELECT and ticket UPDATE; every write and read first SELECTs the ticket row; a",
    "  close DELETEs it; each call is its own transaction. Both run the very same loops",
    "  (bench/scenarios/workloads.ts):",
    "  - *job lifecycle*: create (open new, create, close), three steps (open, read, update, close),",
    "    delete (open, delete, close), 18 calls; at 1, 4 and 8 worker processes, each its own",
    "    manager with a pool of 1; in each round the replay and jobcache run for the same time, in",
    "    alternating order; figure = jobcache's lifecycles/s over the replay's, median of rounds;",
    "  - *queue drain*: 300 jobs of 3 steps, 8 pollers in one process (pool of 8); a step polls the",
    "    oldest free jobs (`queryStatus`, limit 8), takes its own pick, opens a ticket, reads,",
    "    updates, closes; the fast path claims (`claimStatus`) and writes with `close: true`;",
    "  - *contention*: 8 workers, each its own manager, doing steps on 8 keys picked at random;",
    "  - *scale*: queryStatus (limit 10, one entry in ten QUEUED) and openTicket at 100,000 entries",
    "    against 1,000, each size in its own schema or database, filled and never analyzed",
    "    (autovacuum and InnoDB's automatic statistics off for those tables), then after ANALYZE;",
    "  - *main job*: `jobcache run --processes 3` against `--processes 1`, on a fresh SQLite file;",
    "  - *peers*: graphile-worker 0.18 and pg-boss 12 drain 900 one-step tasks at concurrency 8 in",
    "    schemas of their own on the same PostgreSQL server, timed from adding the tasks to the last",
    "    handler returning.",
    "- **Memory**: heap used after full garbage collections, before and after creating the",
    "  entries (each under its own ticket, closed), against a plain Map holding the same keys and",
    "  encoded values. A pair in which a heap shrank (something else was collected meanwhile) is",
    "  measured again.",
    "",
  ];
}

/** `text` as lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

function meaning(report: BenchReport): string[] {
  const r = (store: StoreName, name: string) => ratio(report, store, name);
  const us = (store: StoreName, name: string) => micros(report, store, name);
  const memory = report.memory;
  const c = (store: StoreName, name: string) => ratio(report, store, name, COMMIT);
  const st = (store: StoreName, name: string) => statements(report, store, name);
  const paragraphs = [
    `Each SQL store has two baselines. Against *select 1* (one round trip), an operation's ratio
    counts its round trips and everything they wait for, the disk included. Against *commit* (one
    round trip and one durable commit), a write's ratio counts roughly how many durable commits it
    makes: the baseline waits for the same disk, so this ratio stays put when the disk is busy with
    other work, where the *select 1* ratios of writes jump (see their range on a shared machine).
    Ratios of different stores have different units; to compare stores, read the absolute columns
    of one run.`,

    `**LOCAL** (baseline ${baselineMicros(report, "LOCAL")}). A Map access takes nanoseconds, so the
    ratios are large: grant+close ${r("LOCAL", "grant+close")}, a full step ${r("LOCAL", "full step")}.
    They are the price of the contract, not of storage: argument checks, a random ticket id per grant
    and request id per write, the ticket objects and their bookkeeping, the value codec (encoding on
    every write), and a promise per call. queryStatus is different in kind: the LOCAL store filters
    and sorts every entry of the cache on each call before taking the first 10, so its
    ${r("LOCAL", "queryStatus")} (${us("LOCAL", "queryStatus")} over ${report.method.queryEntries}
    entries) grows with the size of the cache, where the SQL stores read the first 10 rows of an
    index.` +
      (memory === undefined
        ? ""
        : ` Memory: LOCAL holds ${times(memory.ratio)} the heap of a bare Map of the same data,
    because it keeps, besides each entry, a lease record per key (ticket id, times, last request id
    and result) that stays after the ticket is closed, in a second Map.`),

    `**SQLITE** (select 1 ${baselineMicros(report, "SQLITE")}, commit ${baselineMicros(report, "SQLITE", COMMIT)}).
    \`select 1\` never leaves the process: a few microseconds of Kysely and better-sqlite3. With
    \`synchronous=FULL\` (the default) every commit fsyncs the WAL file, which is what the commit
    baseline costs beyond that, so every write is dominated by its fsyncs: against *commit*,
    renewTicket (one UPDATE, one commit) is ${c("SQLITE", "renewTicket")}, grant+close (two commits)
    ${c("SQLITE", "grant+close")}, a full step (three commits: the grant, the update's BEGIN
    IMMEDIATE transaction, the release) ${c("SQLITE", "full step")}, createEntry (one transaction)
    ${c("SQLITE", "createEntry")}. The extra statements of a transaction cost microseconds; the
    commit costs the fsync. Against *select 1* the same writes are ${r("SQLITE", "renewTicket")} to
    ${r("SQLITE", "full step")}: that is the price of an fsync next to an in-process statement.
    queryStatus, a read, is ${r("SQLITE", "queryStatus")} a \`select 1\`: one indexed SELECT, then
    decoding ten values. \`sqlite.synchronous: NORMAL\` removes the fsync per commit, at the risk of
    losing the last commits on power loss (docs/dialects.md).`,

    `**POSTGRESQL** (select 1 ${baselineMicros(report, "POSTGRESQL")}, commit
    ${baselineMicros(report, "POSTGRESQL", COMMIT)}). Every operation is one statement in its own
    transaction (the statements column), and every write commit waits for the WAL flush
    (\`synchronous_commit=on\`). Against *commit*: renewTicket ${c("POSTGRESQL", "renewTicket")} (one
    statement, one flush), grant+close ${c("POSTGRESQL", "grant+close")} (two), a full step
    ${c("POSTGRESQL", "full step")} (three), createEntry ${c("POSTGRESQL", "createEntry")} (one, with
    the entry insert and the lease update in one statement). queryStatus is
    ${r("POSTGRESQL", "queryStatus")} a \`select 1\`: the status index gives the oldest entries and
    a lookup on the lease primary key per entry hides the live ones. Every statement is a named
    prepared statement, parsed once per connection (src/store/sql/dialects/postgres/postgres-prepared.ts),
    and queryStatus is shaped so that its plan stays the index plan before any \`ANALYZE\` too
    (src/store/sql/ops/query-status.ts; the *scale* rows above compare fresh and analyzed tables).`,

    `**MARIADB** (select 1 ${baselineMicros(report, "MARIADB")}, commit
    ${baselineMicros(report, "MARIADB", COMMIT)}). The store does not use MariaDB's \`INSERT ...
    RETURNING\` yet (docs/dialects.md), so a grant is a transaction of five statements (BEGIN,
    lock-read of the lease row, probe, INSERT or compare-and-set UPDATE, COMMIT) and createEntry
    another five; the update of a full step is one multi-table UPDATE, and the release one UPDATE.
    Each statement is a round trip, and each commit flushes the redo log
    (\`innodb_flush_log_at_trx_commit=1\`). Against *commit*: grant+close ${c("MARIADB", "grant+close")}
    (${st("MARIADB", "grant+close")} statements, two commits), a full step ${c("MARIADB", "full step")}
    (${st("MARIADB", "full step")} statements, three commits),
    renewTicket ${c("MARIADB", "renewTicket")}, createEntry ${c("MARIADB", "createEntry")}; against
    *select 1* grant+close is ${r("MARIADB", "grant+close")}, the round trips showing beside the
    flushes.`,

    `**Across stores**, in absolute terms on this machine, one full job step (grant, update, release)
    took ${us("LOCAL", "full step")} on LOCAL, ${us("SQLITE", "full step")} on SQLITE,
    ${us("POSTGRESQL", "full step")} on POSTGRESQL and ${us("MARIADB", "full step")} on MARIADB, with
    one client calling one operation at a time.`,

    `**The calls above** are one client, sequential, no contention. The scenarios (the section
    "Against the targets") measure several processes and pollers together on one database, where
    the servers flush several clients' commits at once and tickets contend, and \`jobcache run\`
    (src/cli/run) end to end, with an audit of the results.`,
  ];
  return ["## What the ratios mean", "", ...paragraphs.flatMap((text) => [...wrap(text), ""])];
}

/** The whole of docs/benchmarks.md for `report`. */
export function renderDocument(report: BenchReport): string {
  return [
    ...header(report),
    ...renderTargets(report),
    "## Results",
    "",
    renderResults(report),
    ...meaning(report),
  ].join("\n");
}
