/**
 * One benchmark run: every requested store in turn (opened, filled, timed against its baseline,
 * closed and removed), then LOCAL's heap per 10k entries. A store that cannot be reached is
 * skipped with a note; one that fails is reported as failed, and the others still run.
 * @module
 */
import { loadavg } from "node:os";
import type { BenchReport, OperationResult, StoreName, StoreReport } from "./bench-report.js";
import { prepareOperations } from "./cache-operations.js";
import { measureLocalMemory } from "./local-memory.js";
import { machineInfo } from "./machine-info.js";
import { type MeasureOptions, measureRatios } from "./measure-ratios.js";
import { type OperationCase, runCalls } from "./operation-case.js";
import type { OpenTarget, StatementCounter, TargetOutcome } from "./targets/bench-target.js";
import { openLocalTarget } from "./targets/local-target.js";
import { openMariadbTarget } from "./targets/mariadb-target.js";
import { openPostgresTarget } from "./targets/postgres-target.js";
import { openSqliteTarget } from "./targets/sqlite-target.js";
import { withinTime } from "./time-limit.js";

/** Everything a run can be told. */
export interface SuiteOptions extends MeasureOptions {
  readonly stores: readonly StoreName[];
  /** Entries the status query runs over. */
  readonly queryEntries: number;
  /** Existing entries the grant and step operations cycle through. */
  readonly keyPool: number;
  /** Entries per memory sample (scaled to 10k in the report). */
  readonly memoryEntries: number;
  readonly memorySamples: number;
  /** Limit on opening, measuring and closing one store; past it the store is reported as failed. */
  readonly storeTimeoutMs: number;
  /** Progress lines; silent when omitted. */
  readonly log?: (line: string) => void;
}

/** The full run of `npm run bench`: about a minute on a 2-core machine, more when its disk is busy. */
export const DEFAULT_OPTIONS: SuiteOptions = {
  stores: ["LOCAL", "SQLITE", "POSTGRESQL", "MARIADB"],
  // Many short rounds: a disk that other processes keep busy changes from one tenth of a second
  // to the next, and a baseline timed close to an operation pays the same.
  rounds: 16,
  taskTimeMs: 75,
  warmupMs: 200,
  minSamples: 8,
  queryEntries: 1_000,
  keyPool: 100,
  memoryEntries: 10_000,
  memorySamples: 5,
  // A full store takes 10-40 s; three minutes means it hangs.
  storeTimeoutMs: 180_000,
};

const OPENERS: Readonly<Record<StoreName, () => Promise<TargetOutcome>>> = {
  LOCAL: openLocalTarget,
  SQLITE: openSqliteTarget,
  POSTGRESQL: openPostgresTarget,
  MARIADB: openMariadbTarget,
};

/** Statements the store sends per call of `operation`, counted over a few calls outside the timing. */
async function statementsPerCall(operation: OperationCase, counter: StatementCounter): Promise<number> {
  const calls = 5;
  await operation.before?.(calls);
  try {
    counter.reset();
    for (let i = 0; i < calls; i++) await operation.call();
    return counter.read() / calls;
  } finally {
    await operation.after?.();
  }
}

async function measureTarget(
  store: StoreName,
  target: OpenTarget,
  options: SuiteOptions,
): Promise<StoreReport> {
  const fixture = await prepareOperations(target.manager, {
    batch: target.batch,
    queryEntries: options.queryEntries,
    keyPool: options.keyPool,
  });
  try {
    await target.analyze?.();
    const { operations } = fixture;
    // One call of each first: a broken operation fails here, before minutes of timing.
    for (const operation of operations) await runCalls(operation, 1);
    const measured = await measureRatios(target.baselines, operations, options);
    const results: OperationResult[] = [];
    for (const [index, operation] of operations.entries()) {
      const statements =
        target.statements === undefined ? undefined : await statementsPerCall(operation, target.statements);
      results.push({
        name: operation.name,
        what: operation.what,
        ...measured.operations[index]!,
        statements,
      });
    }
    return {
      store,
      status: "measured",
      version: target.version,
      settings: target.settings,
      rounds: options.rounds,
      baselines: target.baselines.map((baseline, index) => ({
        name: baseline.name,
        what: baseline.what,
        absolute: measured.baselines[index]!,
      })),
      operations: results,
    };
  } finally {
    await fixture.close();
  }
}

async function runStore(store: StoreName, options: SuiteOptions): Promise<StoreReport> {
  let outcome: TargetOutcome;
  const limit = options.storeTimeoutMs;
  try {
    outcome = await withinTime(OPENERS[store](), limit, `opening ${store}`);
  } catch (error) {
    return { store, status: "failed", note: `could not open: ${describe(error)}` };
  }
  if ("skipped" in outcome) return { store, status: "skipped", note: outcome.skipped };
  const { open } = outcome;
  let report: StoreReport;
  try {
    report = await withinTime(measureTarget(store, open, options), limit, `measuring ${store}`);
  } catch (error) {
    report = { store, status: "failed", note: describe(error) };
  }
  try {
    // After a hang, closing will likely hang too: wait less for it.
    await withinTime(open.close(), report.status === "failed" ? limit / 6 : limit, `closing ${store}`);
  } catch (error) {
    const note = `could not clean up (remove its schema, database or temp file by hand): ${describe(error)}`;
    return report.status === "failed"
      ? { ...report, note: `${report.note}; ${note}` }
      : { store, status: "failed", note };
  }
  return report;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs the benchmark; never throws for a store that is down or fails (see `status`). */
export async function runSuite(options: SuiteOptions = DEFAULT_OPTIONS): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const machine = machineInfo();
  const stores: StoreReport[] = [];
  for (const store of options.stores) {
    log(`${store}: measuring`);
    const report = await runStore(store, options);
    log(`${store}: ${report.status}${report.status === "measured" ? "" : ` (${report.note})`}`);
    stores.push(report);
  }
  let memory: BenchReport["memory"];
  if (options.stores.includes("LOCAL")) {
    log("LOCAL: heap per 10k entries");
    memory = await measureLocalMemory(options.memoryEntries, options.memorySamples);
  }
  return {
    date: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine,
    loadAverageAtEnd: loadavg()[0] ?? 0,
    method: {
      rounds: options.rounds,
      taskTimeMs: options.taskTimeMs,
      warmupMs: options.warmupMs,
      minSamples: options.minSamples,
      queryEntries: options.queryEntries,
      timer: "tinybench 2 (performance.now per sample)",
    },
    stores,
    memory,
  };
}
