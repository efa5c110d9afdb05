/**
 * `jobcache run`, the parent side: seeds the jobs, starts the orchestrator processes, shows
 * progress, optionally kills one mid-run, waits until every job is finished, stops the workers,
 * then audits the database and reports.
 * @module
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { ECacheUnavailable } from "../../base/errors.js";
import type { CacheEntry, JobCache, PluginConfig } from "../../base/types.js";
import { JOB_STATUSES } from "../../machines/job-events.js";
import { createJobCacheManager } from "../../manager/create-job-cache-manager.js";
import { type JobRecord, newJobRecord } from "../../runtime/job-record.js";
import { ARCHIVED_STATUS } from "./archive.js";
import { type ArchivedJob, auditRun, type CommitReport } from "./audit.js";
import { latencySummary } from "./latency-stats.js";
import type { WorkerMessage } from "./messages.js";
import { ProgressBar } from "./progress-bar.js";
import { buildReport, type RunReport } from "./run-report.js";
import { startWorkers, stopWorkers, type WorkerProcess } from "./worker-pool.js";

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
  readonly failureRate: number;
  readonly timeoutMs: number;
  readonly tracePath?: string;
  /** Where the progress bar goes (drawn only on a terminal). */
  readonly progressOut: NodeJS.WritableStream;
  /** Where the run says what it is doing (seeding, killing, stopping). */
  readonly log: (line: string) => void;
}

/** Steps a job takes on the happy path: used only to decide when "mid-run" is. */
const STEPS_PER_JOB = 11;

async function seedJobs(
  cache: JobCache<JobRecord>,
  keys: readonly string[],
  durationMs: number,
): Promise<void> {
  const batch = 25;
  for (let i = 0; i < keys.length; i += batch) {
    await Promise.all(
      keys.slice(i, i + batch).map(async (key) => {
        await using ticket = await cache.openNewTicket(key, durationMs);
        await cache.createEntry(ticket, JOB_STATUSES[0], newJobRecord(JOB_STATUSES[0], "seed"));
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

/** The archive has served the audit: remove it so repeated runs do not grow the database. */
async function removeArchive(
  archive: JobCache<ArchivedJob>,
  entries: readonly CacheEntry<ArchivedJob>[],
): Promise<void> {
  for (const entry of entries) {
    await using ticket = await archive.openTicket(entry.key, entry.revision, 10_000);
    if (!ticket.superseded && !ticket.missing) await archive.deleteEntry(ticket);
  }
}

/** Runs the main job and returns its report. */
export async function runMainJob(options: RunOptions): Promise<RunReport> {
  const runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const manager = await createJobCacheManager(options.config);
  try {
    const jobs = manager.getCache<JobRecord>(runId);
    const archive = manager.getCache<ArchivedJob>(`${runId}-done`);
    const keys = Array.from({ length: options.jobs }, (_, i) => `job-${String(i + 1).padStart(6, "0")}`);
    options.log(`seeding ${keys.length} jobs in cache ${runId} (${options.storeLabel})`);
    await seedJobs(jobs, keys, options.ticketDurationMs);

    const reports: CommitReport[] = [];
    const latencies: number[] = [];
    const killed = new Set<string>();
    let removed = 0;
    const trace =
      options.tracePath === undefined ? undefined : createWriteStream(options.tracePath, { flags: "w" });
    const onMessage = (message: WorkerMessage): void => {
      if (message.type === "commit") {
        reports.push(message);
        latencies.push(message.latencyMs);
        if (message.revision === 0) removed += 1;
      } else if (message.type === "trace") {
        trace?.write(`${message.line}\n`);
      } else if (message.type === "failed") {
        options.log(`worker ${message.worker} failed: ${message.message}`);
      }
    };

    const startedAt = performance.now();
    const workers: WorkerProcess[] = startWorkers(
      options.processes,
      (worker) => ({
        worker,
        config: options.config,
        cacheName: runId,
        archiveCacheName: `${runId}-done`,
        maxJobs: options.maxJobs,
        ticketDurationMs: options.ticketDurationMs,
        pollIntervalMs: 50,
        failureRate: options.failureRate,
        executorDelayMs: [1, 5],
        trace: trace !== undefined,
      }),
      onMessage,
    );
    const bar = new ProgressBar(options.progressOut, options.jobs);
    const killAfter = options.killOne
      ? Math.floor((options.jobs * STEPS_PER_JOB) / 4)
      : Number.POSITIVE_INFINITY;
    let lastCheck = 0;
    let finished = false;
    while (!finished && performance.now() - startedAt < options.timeoutMs) {
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
        removed,
        `${reports.length} steps  ${(reports.length / Math.max(elapsed, 0.001)).toFixed(0)} steps/s`,
      );
      // the workers' reports say when all may be done; the database says whether they are
      if (removed >= options.jobs || performance.now() - lastCheck > 1000) {
        lastCheck = performance.now();
        finished = await allFinished(jobs);
      }
    }
    const durationMs = performance.now() - startedAt;
    bar.update(removed, "stopping workers", true);
    bar.finish();
    await stopWorkers(workers, 15_000);
    await new Promise<void>((resolve) => (trace === undefined ? resolve() : trace.end(resolve)));

    const archived = await archive.queryStatus([ARCHIVED_STATUS], { includeOpenTickets: true });
    const audit = auditRun(
      keys,
      archived.map((entry) => entry.value),
      reports,
      killed,
    );
    await removeArchive(archive, archived);
    return buildReport(audit, {
      store: options.storeLabel,
      processes: options.processes,
      jobs: options.jobs,
      killed: [...killed],
      durationMs: Math.round(durationMs),
      stepLatencyMs: latencySummary(latencies),
    });
  } finally {
    await manager.close();
  }
}
