/**
 * One orchestrator process of `jobcache run`: receives its settings over IPC, runs an
 * orchestrator (TRAC's lifecycle, the simulated or a command executor) until told to stop, and
 * reports each commit. Built on the public API only (`jobcache`, `jobcache/orchestrator`).
 * SIGINT and SIGTERM stop it gracefully, like the parent's `stop`: a Ctrl-C in a terminal
 * reaches every process of the group, and the parent must still get each worker's last reports.
 * @module
 */
import type { InspectionEvent } from "xstate";
import { createJobCacheManager, type Logger } from "../../index.js";
import {
  commandExecutor,
  createOrchestrator,
  type Executor,
  type JobState,
  type OrchestratorEvent,
  SimulatedExecutor,
} from "../../orchestrator.js";
import { archiveJob } from "./archive.js";
import type { ArchivedJob, JobRecord } from "./audit.js";
import type {
  ExecutorSettings,
  ParentMessage,
  WorkerLog,
  WorkerMessage,
  WorkerSettings,
} from "./messages.js";

/** Sends to the parent if it is still there; a parent gone is not this worker's error. */
function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message, undefined, {}, () => {});
}

/** A trace line for one inspection event: the job and revision it is about, nothing circular. */
function traceLine(worker: string, event: InspectionEvent, job: JobState<JobRecord>): string | undefined {
  if (event.type !== "@xstate.snapshot" && event.type !== "@xstate.event") return undefined;
  const snapshot =
    event.type === "@xstate.snapshot" ? (event.snapshot as { value?: unknown; status?: string }) : undefined;
  return JSON.stringify({
    time: new Date().toISOString(),
    worker,
    key: job.key,
    revision: job.revision,
    status: job.status,
    actor: (event.actorRef as { id?: string }).id,
    type: event.type,
    event: event.event.type,
    ...(snapshot === undefined ? {} : { state: snapshot.value, actorStatus: snapshot.status }),
  });
}

/** A logger that sends each record to the parent (`--verbose`). */
function forwardingLogger(worker: string): Logger {
  const at =
    (level: WorkerLog["level"]) =>
    (message: string, facts: Record<string, unknown> = {}): void =>
      send({ type: "log", worker, level, message, facts });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Events that mean trouble are warnings; the rest is the normal course of a job. */
const WARNINGS = new Set<OrchestratorEvent["type"]>(["renewalLate", "leaseLost", "stepFailed", "pollFailed"]);

/** An orchestrator event as a log record: its type the message, its fields (errors as text) the facts. */
function logEvent(logger: Logger, event: OrchestratorEvent): void {
  const { type, ...fields } = event;
  const facts: Record<string, unknown> = { ...fields };
  if ("error" in fields)
    facts.error = fields.error instanceof Error ? fields.error.message : String(fields.error);
  (WARNINGS.has(type) ? logger.warn : logger.info)(type, facts);
}

function executorFor(settings: ExecutorSettings): Executor {
  return settings.kind === "command"
    ? commandExecutor({ command: settings.command })
    : new SimulatedExecutor({ failureRate: settings.failureRate, delayMs: settings.delayMs });
}

async function runWorker(settings: WorkerSettings, stopRequested: Promise<number>): Promise<void> {
  const logger = settings.verbose ? forwardingLogger(settings.worker) : undefined;
  const manager = await createJobCacheManager(settings.config, logger === undefined ? {} : { logger });
  const jobs = manager.getCache<JobRecord>(settings.cacheName);
  const archive = manager.getCache<ArchivedJob>(settings.archiveCacheName);
  const worker = settings.worker;
  const orchestrator = createOrchestrator<JobRecord>({
    cache: jobs,
    executor: executorFor(settings.executor),
    instanceId: worker,
    maxJobs: settings.maxJobs,
    pollIntervalMs: settings.pollIntervalMs,
    ticketDurationMs: settings.ticketDurationMs,
    notBeforeMs: 0,
    updateValue: ({ value, revision, status }) => ({
      ...value,
      history: [...value.history, { revision, status, worker }],
    }),
    beforeDelete: (job) => archiveJob(archive, job.key, job.value, worker, settings.ticketDurationMs),
    ...(settings.trace
      ? {
          inspect: (event: InspectionEvent, job: JobState<JobRecord>) => {
            const line = traceLine(worker, event, job);
            if (line !== undefined) send({ type: "trace", line });
          },
        }
      : {}),
  });
  orchestrator.on("committed", (event) =>
    send({ type: "commit", worker, key: event.key, revision: event.newRevision, latencyMs: event.stepMs }),
  );
  if (logger !== undefined) orchestrator.on("*", (event) => logEvent(logger, event));
  orchestrator.on("pollFailed", (event) => {
    const reason = event.error instanceof Error ? event.error.message : String(event.error);
    process.stderr.write(
      `jobcache run: ${worker} cannot poll (${reason}); retrying in ${event.backoffMs} ms\n`,
    );
  });
  forceStop = () => void orchestrator.stop(0);
  orchestrator.start();
  send({ type: "ready", worker });
  const graceMs = await stopRequested;
  await orchestrator.stop(graceMs);
  await manager.close();
  send({ type: "stopped", worker });
}

// the parent reads what it needs over IPC; a closed stderr (the run was killed) is not a crash
process.stderr.on("error", () => {});
process.stdout.on("error", () => {});

/** Set once the orchestrator runs: abandons its running steps now (a second stop ends the grace). */
let forceStop: (() => void) | undefined;

const stopRequested = new Promise<number>((resolve) => {
  process.on("message", (message: ParentMessage) => {
    if (message.type === "stop") resolve(message.graceMs);
    if (message.type === "force") {
      resolve(0);
      forceStop?.();
    }
  });
  // on a signal, the parent sends `stop` with its grace; this is only for a worker on its own
  const onSignal = (): void => resolve(10_000);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.once("disconnect", () => resolve(5_000)); // the parent is gone: finish up rather than run on alone
});

process.once("message", (message: ParentMessage) => {
  if (message.type !== "start") return;
  runWorker(message.settings, stopRequested).then(
    () => process.disconnect?.(),
    (error: unknown) => {
      send({
        type: "failed",
        worker: message.settings.worker,
        message: error instanceof Error ? error.message : String(error),
      });
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
});
