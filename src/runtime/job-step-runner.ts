/**
 * Runs one job, step after step, while this orchestrator keeps winning its tickets: each step
 * is a ticket actor (open at the entry's revision, call the executor with the revision as
 * fencing token, commit what the job machine says follows, close), and the next step is chained
 * at once on the revision just written instead of waiting for the next poll.
 * @module
 */
import type { InspectionEvent } from "xstate";
import type { Clock } from "../base/clock.js";
import type { Timers } from "../base/timers.js";
import type { CacheTicket, JobCache } from "../base/types.js";
import { jobStepFor, nextJobStep } from "../machines/next-job-step.js";
import type { Executor } from "./executor.js";
import { appendStep, type JobRecord } from "./job-record.js";
import { runTicketStep, type TicketOutcome } from "./ticket-actor.js";

/** Where a job stands: what the runner needs to take its next step. */
export interface JobCursor {
  readonly key: string;
  readonly status: string;
  readonly revision: number;
  readonly record: JobRecord;
}

/** What a step did, for metrics and the run's audit. */
export interface StepReport {
  readonly key: string;
  readonly fromStatus: string;
  /** The revision written, or 0 when the step deleted the entry. */
  readonly revision: number;
  readonly latencyMs: number;
}

/** The runner's collaborators. */
export interface JobStepRunnerOptions {
  readonly cache: JobCache<JobRecord>;
  readonly executor: Executor;
  /** Recorded in each step's history: who committed it. */
  readonly worker: string;
  readonly ticketDurationMs: { readonly cache: number; readonly executor: number };
  readonly clock: Clock;
  readonly timers?: Timers;
  /** Called under the ticket right before the entry is deleted (e.g. to archive the record). */
  readonly beforeDelete?: (key: string, record: JobRecord, ticket: CacheTicket) => Promise<void>;
  /** Whether a step may start now (`notBeforeMs` of the status, counted by the caller). */
  readonly mayStart: (cursor: JobCursor, notBeforeMs: number) => boolean;
  readonly onCommitted?: (report: StepReport) => void;
  readonly onStepEnded?: (cursor: JobCursor, outcome: TicketOutcome) => void;
  readonly inspect?: (event: InspectionEvent) => void;
}

/**
 * Takes steps of one job until it is removed, another process holds it, a step writes nothing,
 * its status must wait, or `signal` (shutdown) aborts. Never rejects: outcomes are reported.
 */
export async function runJobSteps(
  start: JobCursor,
  options: JobStepRunnerOptions,
  signal: AbortSignal,
): Promise<void> {
  let cursor: JobCursor | undefined = start;
  while (cursor !== undefined && !signal.aborted) {
    cursor = await runOneStep(cursor, options, signal);
  }
}

async function runOneStep(
  cursor: JobCursor,
  options: JobStepRunnerOptions,
  signal: AbortSignal,
): Promise<JobCursor | undefined> {
  const step = jobStepFor(cursor.status);
  if (!options.mayStart(cursor, step.notBeforeMs ?? 0)) return undefined;
  const startedAt = performance.now();
  let next: JobCursor | undefined;
  const outcome = await runTicketStep({
    cache: options.cache as JobCache<unknown>,
    key: cursor.key,
    revision: cursor.revision,
    durationMs: options.ticketDurationMs[step.ticket],
    clock: options.clock,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    signal,
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    work: (workSignal) =>
      options.executor.call({ jobKey: cursor.key, step, fencingToken: cursor.revision, signal: workSignal }),
    commit: async (ticket, outcome) => {
      const position = { status: cursor.status, revision: cursor.revision, retries: cursor.record.retries };
      const result = nextJobStep(position, outcome);
      if (result.kind === "ignored") return cursor.revision;
      if (result.kind === "delete") {
        await options.beforeDelete?.(cursor.key, cursor.record, ticket);
        await options.cache.deleteEntry(ticket);
        return 0;
      }
      const revision = cursor.revision + 1;
      const record = appendStep(
        cursor.record,
        { revision, status: result.status, worker: options.worker },
        result.retries,
      );
      const written = await options.cache.updateEntry(ticket, result.status, record);
      next = { key: cursor.key, status: result.status, revision: written, record };
      return written;
    },
  });
  options.onStepEnded?.(cursor, outcome);
  if (outcome.kind !== "committed") return undefined;
  const wrote = next !== undefined || outcome.revision === 0;
  if (wrote) {
    options.onCommitted?.({
      key: cursor.key,
      fromStatus: cursor.status,
      revision: outcome.revision,
      latencyMs: performance.now() - startedAt,
    });
  }
  return next;
}
