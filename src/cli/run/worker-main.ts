/**
 * One orchestrator process of `jobcache run`: receives its settings over IPC, runs an
 * {@link Orchestrator} with a simulated executor until told to stop, and reports each commit.
 * @module
 */
import type { InspectionEvent } from "xstate";
import { createJobCacheManager } from "../../manager/create-job-cache-manager.js";
import type { JobRecord } from "../../runtime/job-record.js";
import { Orchestrator } from "../../runtime/orchestrator.js";
import { SimulatedExecutor } from "../../runtime/simulated-executor.js";
import { archiveJob } from "./archive.js";
import type { ArchivedJob } from "./audit.js";
import type { ParentMessage, WorkerMessage, WorkerSettings } from "./messages.js";

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

/** A trace line for one inspection event: enough to follow an actor, nothing circular. */
function traceLine(worker: string, event: InspectionEvent): string | undefined {
  if (event.type !== "@xstate.snapshot" && event.type !== "@xstate.event") return undefined;
  const snapshot =
    event.type === "@xstate.snapshot" ? (event.snapshot as { value?: unknown; status?: string }) : undefined;
  return JSON.stringify({
    time: new Date().toISOString(),
    worker,
    actor: (event.actorRef as { id?: string }).id,
    type: event.type,
    event: event.event.type,
    ...(snapshot === undefined ? {} : { state: snapshot.value, status: snapshot.status }),
  });
}

async function runWorker(settings: WorkerSettings): Promise<void> {
  const manager = await createJobCacheManager(settings.config);
  const jobs = manager.getCache<JobRecord>(settings.cacheName);
  const archive = manager.getCache<ArchivedJob>(settings.archiveCacheName);
  const worker = settings.worker;
  const orchestrator = new Orchestrator({
    cache: jobs,
    executor: new SimulatedExecutor({ failureRate: settings.failureRate, delayMs: settings.executorDelayMs }),
    worker,
    maxJobs: settings.maxJobs,
    pollIntervalMs: settings.pollIntervalMs,
    ticketDurationMs: { cache: settings.ticketDurationMs, executor: settings.ticketDurationMs },
    notBeforeMs: 0,
    onPollFailed: (error, backoffMs) =>
      console.error(
        `jobcache run: ${worker} cannot poll (${error instanceof Error ? error.message : error}); retrying in ${backoffMs} ms`,
      ),
    beforeDelete: (key, record) => archiveJob(archive, key, record, worker, settings.ticketDurationMs),
    onCommitted: (step) =>
      send({ type: "commit", worker, key: step.key, revision: step.revision, latencyMs: step.latencyMs }),
    ...(settings.trace
      ? {
          inspect: (event: InspectionEvent) => {
            const line = traceLine(worker, event);
            if (line !== undefined) send({ type: "trace", line });
          },
        }
      : {}),
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGTERM", stop);
    process.on("message", (message: ParentMessage) => {
      if (message.type === "stop") stop();
    });
    process.once("disconnect", stop); // the parent is gone: finish up rather than run on alone
  });
  orchestrator.start();
  send({ type: "ready", worker });
  await stopped;
  await orchestrator.stop(5_000);
  await manager.close();
  send({ type: "stopped", worker });
}

process.once("message", (message: ParentMessage) => {
  if (message.type !== "start") return;
  runWorker(message.settings).then(
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
