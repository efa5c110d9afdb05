/**
 * `jobcache run`, the parent side: seeds the jobs (or picks up an unfinished run with
 * `--resume`), starts the orchestrator processes, shows progress, optionally kills one mid-run,
 * waits until every job is finished or a signal stops the run, stops the workers, then audits
 * the database and reports. Built on the public API only.
 * @module
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import {
  type CacheEntry,
  createJobCacheManager,
  ECacheUnavailable,
  type JobCache,
  type JobCacheManager,
  type PluginConfig,
} from "../../index.js";
import { tracLifecycle } from "../../orchestrator.js";
import { CommandFailed } from "../exit-codes.js";
import { ARCHIVED_STATUS } from "./archive.js";
import { type ArchivedJob, auditRun, type CommitReport, type JobRecord, type LeftJob } from "./audit.js";
import type { ExecutorSettings, WorkerLog, WorkerMessage } from "./messages.js";
import { ProgressBar } from "./progress-bar.js";
import { buildReport, latencySummary, type RunReport } from "./run-report.js";
import { forceWorkers, startWorkers, stopWorkers, type WorkerProcess } from "./worker-pool.js";

/** Settings of one run. */
export interface RunOptions {
  readonly config: PluginConfig;
  /** How the store is named in the report, e.g. `JDBC/SQLITE .jobcache/jobcache.db`. */
  readonly storeLabel: string;
  readonly processes: number;
  readonly jobs: number;
  readonly killOne: boolean;
  readonly maxJobs: number;
  readonly ticketDurationMs: number;
  readonly executor: ExecutorSettings;
  readonly timeoutMs: number;
  /** After SIGINT/SIGTERM, how long running steps may take to finish before they are abandoned. */
  readonly graceMs: number;
  readonly tracePath?: string;
  /** Continue an unfinished run instead of seeding a new one: `true` for the last one, or its name. */
  readonly resume?: string | true;
  /** Where the progress bar goes (drawn only on a terminal). */
  readonly progressOut: NodeJS.WritableStream;
  /** Where the run says what it is doing (seeding, killing, stopping). */
  readonly log: (line: string) => void;
  /** With it, workers report every orchestrator event and store log line here (`--verbose`). */
  readonly workerLog?: (entry: WorkerLog) => void;
}

/** The cache that lists unfinished runs, so `--resume` can find them after the run was killed. */
const RUNS_CACHE = "jobcache-runs";
const UNFINISHED = "UNFINISHED";

/** What the runs cache records of one run. */
interface RunRecord {
  readonly jobs: number;
  /** Sessions so far: the first run, then one per `--resume`. */
  readonly sessions: number;
  /** Whether every job was seeded (a run stopped while seeding is seeded on resume). */
  readonly seeded: boolean;
  readonly startedAt: string;
}

/** Steps a job takes on the happy path: used only to decide when "mid-run" is. */
const STEPS_PER_JOB = 11;

const JOB_STATUSES = tracLifecycle.statuses;
const FIRST_STATUS = tracLifecycle.initialStatus;

/** Opens the trace file before anything else happens, so a bad path fails the run at once. */
async function openTrace(path: string | undefined): Promise<WriteStream | undefined> {
  if (path === undefined) return undefined;
  const stream = createWriteStream(path, { flags: "w" });
  try {
    await once(stream, "open");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandFailed(`cannot write the trace file ${JSON.stringify(path)}: ${reason}`);
  }
  return stream;
}

/**
 * The lease of each seeding ticket: long enough for a create on a loaded machine (the run's own
 * `--ticket-ms`, 1 s by default, expired before the create there), short enough that a seeding
 * killed mid-way frees its keys for `--resume` soon.
 */
const SEED_TICKET_MS = 30_000;

/** Creates the jobs that are not there yet (all of them on a first run), `batch` at a time. */
async function seedJobs(
  cache: JobCache<JobRecord>,
  keys: readonly string[],
  durationMs: number,
  stopped: () => boolean,
): Promise<void> {
  const batch = 25;
  for (let i = 0; i < keys.length && !stopped(); i += batch) {
    await Promise.all(
      keys.slice(i, i + batch).map(async (key) => {
        await using ticket = await cache.openNewTicket(key, durationMs);
        if (ticket.superseded) return; // seeded by an earlier session
        const record: JobRecord = {
          retries: 0,
          history: [{ revision: 1, status: FIRST_STATUS, worker: "seed" }],
        };
        await cache.createEntry(ticket, FIRST_STATUS, record);
      }),
    );
  }
}

/** Whether no job is left; `false` while the database cannot answer (a restart), like the workers. */
async function allFinished(cache: JobCache<JobRecord>): Promise<boolean> {
  try {
    const left = await cache.queryStatus(JOB_STATUSES, { includeOpenTickets: true, limit: 1 });
    return left.length === 0;
  } catch (error) {
    if (error instanceof ECacheUnavailable) return false;
    throw error;
  }
}

/** Removes entries from a cache once they have served (the archive after the audit, the run's record). */
async function removeEntries<T>(cache: JobCache<T>, entries: readonly CacheEntry<T>[]): Promise<void> {
  for (const entry of entries) {
    await using ticket = await cache.openTicket(entry.key, entry.revision, 10_000);
    if (!ticket.superseded && !ticket.missing) await cache.deleteEntry(ticket);
  }
}

async function writeRun(
  runs: JobCache<RunRecord>,
  runId: string,
  record: RunRecord,
  revision: number | undefined,
): Promise<number> {
  await using ticket =
    revision === undefined
      ? await runs.openNewTicket(runId, 10_000)
      : await runs.openTicket(runId, revision, 10_000);
  if (ticket.superseded || ticket.missing) {
    throw new CommandFailed(`run ${runId} is being changed by another jobcache run; try again`);
  }
  // awaited here, not returned: the ticket is closed when this function returns
  return revision === undefined
    ? await runs.createEntry(ticket, UNFINISHED, record)
    : await runs.updateEntry(ticket, UNFINISHED, record);
}

/** The unfinished run to continue: the named one, or the one started last. */
async function findRun(runs: JobCache<RunRecord>, resume: string | true): Promise<CacheEntry<RunRecord>> {
  const unfinished = await runs.queryStatus([UNFINISHED], { includeOpenTickets: true });
  const found = resume === true ? unfinished.at(-1) : unfinished.find((entry) => entry.key === resume);
  if (found === undefined) {
    const known = unfinished.map((entry) => entry.key).join(", ");
    throw new CommandFailed(
      resume === true
        ? "there is no unfinished run to resume; start one with: jobcache run"
        : `there is no unfinished run named ${JSON.stringify(resume)}${known === "" ? "" : `; unfinished runs: ${known}`}`,
    );
  }
  return found;
}

/** SIGINT/SIGTERM: the first stops the run gracefully, a second forces it. */
function watchSignals(onStop: (signal: "SIGINT" | "SIGTERM") => void, onForce: () => void): () => void {
  let received = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) onForce();
    else {
      received = true;
      onStop(signal === "SIGINT" ? "SIGINT" : "SIGTERM");
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

/** Runs the main job and returns its report. */
export async function runMainJob(options: RunOptions): Promise<RunReport> {
  const trace = await openTrace(options.tracePath);
  trace?.on("error", (error) => options.log(`cannot write the trace file: ${error.message}`));
  let interrupted: "SIGINT" | "SIGTERM" | undefined;
  let workers: WorkerProcess[] = [];
  let runId = "";
  const unwatch = watchSignals(
    (signal) => {
      interrupted = signal;
      options.log(
        `${signal}: stopping; running steps get ${options.graceMs / 1000} s to finish (press Ctrl-C again to force)`,
      );
    },
    () => {
      options.log(
        `forced stop: unfinished jobs stay in cache ${runId}; continue with: jobcache run --resume ${runId}`,
      );
      void forceWorkers(workers).finally(() => process.exit(interrupted === "SIGTERM" ? 143 : 130));
    },
  );
  let manager: JobCacheManager | undefined;
  try {
    manager = await createJobCacheManager(options.config);
    const runs = manager.getCache<RunRecord>(RUNS_CACHE);
    let record: RunRecord;
    let runRevision: number;
    if (options.resume === undefined) {
      runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
      record = { jobs: options.jobs, sessions: 1, seeded: false, startedAt: new Date().toISOString() };
      runRevision = await writeRun(runs, runId, record, undefined);
    } else {
      const found = await findRun(runs, options.resume);
      runId = found.key;
      record = { ...found.value, sessions: found.value.sessions + 1 };
      runRevision = await writeRun(runs, runId, record, found.revision);
    }
    const session = record.sessions;
    const jobs = manager.getCache<JobRecord>(runId);
    const archive = manager.getCache<ArchivedJob>(`${runId}-done`);
    const keys = Array.from({ length: record.jobs }, (_, i) => `job-${String(i + 1).padStart(6, "0")}`);
    if (!record.seeded) {
      options.log(`seeding ${keys.length} jobs in cache ${runId} (${options.storeLabel})`);
      await seedJobs(jobs, keys, SEED_TICKET_MS, () => interrupted !== undefined);
      if (interrupted === undefined) {
        record = { ...record, seeded: true };
        runRevision = await writeRun(runs, runId, record, runRevision);
      }
    } else {
      options.log(`resuming run ${runId} (session ${session}, ${options.storeLabel})`);
    }
    const doneBefore = (await archive.queryStatus([ARCHIVED_STATUS], { includeOpenTickets: true })).length;

    const reports: CommitReport[] = [];
    const latencies: number[] = [];
    const killed = new Set<string>();
    let removed = 0;
    const onMessage = (message: WorkerMessage): void => {
      if (message.type === "commit") {
        reports.push(message);
        latencies.push(message.latencyMs);
        if (message.revision === 0) removed += 1;
      } else if (message.type === "trace") {
        trace?.write(`${message.line}\n`);
      } else if (message.type === "log") {
        options.workerLog?.(message);
      } else if (message.type === "failed") {
        options.log(`worker ${message.worker} failed: ${message.message}`);
      }
    };

    const startedAt = performance.now();
    const names = Array.from(
      { length: options.processes },
      (_, i) => `w${i + 1}${session > 1 ? `.${session}` : ""}`,
    );
    if (interrupted === undefined) {
      workers = startWorkers(
        names,
        (worker) => ({
          worker,
          config: options.config,
          cacheName: runId,
          archiveCacheName: `${runId}-done`,
          maxJobs: options.maxJobs,
          ticketDurationMs: options.ticketDurationMs,
          pollIntervalMs: 50,
          executor: options.executor,
          trace: trace !== undefined,
          verbose: options.workerLog !== undefined,
        }),
        onMessage,
      );
      options.log(`started ${workers.length} orchestrator processes`);
    }
    const bar = new ProgressBar(options.progressOut, keys.length);
    const killAfter = options.killOne
      ? Math.floor((keys.length * STEPS_PER_JOB) / 4)
      : Number.POSITIVE_INFINITY;
    let lastCheck = 0;
    let finished = false;
    while (!finished && interrupted === undefined && performance.now() - startedAt < options.timeoutMs) {
      await delay(50);
      const victim = workers[0];
      if (reports.length >= killAfter && killed.size === 0 && victim !== undefined) {
        victim.child.kill("SIGKILL");
        victim.killed = true;
        killed.add(victim.name);
        bar.finish();
        options.log(
          `killed ${victim.name} (pid ${victim.child.pid}) with SIGKILL after ${reports.length} commits`,
        );
      }
      const elapsed = (performance.now() - startedAt) / 1000;
      bar.update(
        doneBefore + removed,
        `${reports.length} steps  ${(reports.length / Math.max(elapsed, 0.001)).toFixed(0)} steps/s`,
      );
      // the workers' reports say when all may be done; the database says whether they are
      if (doneBefore + removed >= keys.length || performance.now() - lastCheck > 1000) {
        lastCheck = performance.now();
        finished = await allFinished(jobs);
      }
    }
    const durationMs = performance.now() - startedAt;
    bar.update(doneBefore + removed, "stopping workers", true);
    bar.finish();
    await stopWorkers(workers, interrupted === undefined ? 5_000 : options.graceMs);
    await new Promise<void>((resolve) => (trace === undefined ? resolve() : trace.end(resolve)));

    const archived = await archive.queryStatus([ARCHIVED_STATUS], { includeOpenTickets: true });
    const left = await jobs.queryStatus(JOB_STATUSES, { includeOpenTickets: true });
    const audit = auditRun(
      record.seeded ? keys : keys.filter((key) => left.some((entry) => entry.key === key)),
      archived.map((entry) => entry.value),
      reports,
      killed,
      left.map((entry): LeftJob => ({ ...entry.value, key: entry.key })),
    );
    const problems = [...audit.problems];
    if (interrupted === undefined && audit.left > 0) {
      problems.push(
        `${audit.left} job(s) did not finish within the timeout; continue with --resume ${runId}`,
      );
    }
    if (audit.left === 0 && audit.lostJobs === 0 && record.seeded) {
      // done: the archive has served the audit, and the run is no longer one to resume
      await removeEntries(archive, archived);
      const entry = await runs.queryKey(runId);
      if (entry !== undefined) await removeEntries(runs, [entry]);
    }
    return buildReport(
      { ...audit, problems },
      {
        run: runId,
        store: options.storeLabel,
        processes: options.processes,
        jobs: keys.length,
        killed: [...killed],
        durationMs: Math.round(durationMs),
        stepLatencyMs: latencySummary(latencies),
        ...(interrupted === undefined ? {} : { interrupted }),
      },
    );
  } finally {
    unwatch();
    await manager?.close();
  }
}
