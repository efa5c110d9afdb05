/**
 * Runs one job, step after step, under one live ticket: each step is a ticket actor (start with
 * the ticket the poll claimed or the step before kept, or open one at the entry's revision; call
 * the executor with the revision as fencing token; commit what the lifecycle says follows), and
 * the next step is chained at once on the revision just written, under the same ticket (renewed
 * by each step's heartbeat), instead of a new grant or the next poll. The last write of a chain
 * closes the ticket in the same commit. Every write of a step is in {@link commitStep}.
 * @module
 */
import type { InspectionEvent } from "xstate";
import type { Clock } from "../base/clock.js";
import type { Timers } from "../base/timers.js";
import type { CacheTicket, JobCache } from "../base/types.js";
import type { TicketEmitted } from "../machines/ticket-events.js";
import type { Executor } from "./executor.js";
import type { JobLifecycle, JobState, StepOutcome, StepResult } from "./lifecycle.js";
import type { EventHub } from "./orchestrator-events.js";
import { type CommitDone, type HeldTicket, runTicketStep } from "./ticket-actor.js";

/** What `updateValue` is told about a step about to be committed. */
export interface StepChange<V> {
  /** The job as the step found it. */
  readonly job: JobState<V>;
  /** The status about to be written. */
  readonly status: string;
  /** The value the lifecycle would write (the job's value, or TRAC's with its retry count). */
  readonly value: V;
  /** The revision the write will create. */
  readonly revision: number;
  readonly outcome: StepOutcome;
  readonly instanceId: string;
}

/** The runner's collaborators (the orchestrator's options, resolved). */
export interface JobStepsOptions<V> {
  readonly cache: JobCache<V>;
  readonly executor: Executor;
  readonly lifecycle: JobLifecycle<V>;
  readonly instanceId: string;
  readonly ticketDurationMs: { readonly cache: number; readonly executor: number };
  readonly clock: Clock;
  readonly timers: Timers;
  readonly renewRetries?: number;
  readonly updateValue?: (change: StepChange<V>) => V;
  readonly beforeDelete?: (job: JobState<V>, ticket: CacheTicket) => Promise<void>;
  /** Whether a step may start now (`notBeforeMs` of the status, counted by the caller). */
  readonly mayStart: (job: JobState<V>, notBeforeMs: number) => boolean;
  readonly onGranted: (job: JobState<V>) => void;
  readonly events: EventHub;
  readonly inspect?: (event: InspectionEvent, job: JobState<V>) => void;
}

/**
 * Takes steps of one job until it is removed, another process holds it, a step writes nothing,
 * its status must wait, or `signal` (shutdown) aborts. `granted` is the ticket the poll claimed
 * the job with (`claimStatus`); without it the first step opens its own. Never rejects: outcomes
 * are events; whatever ticket is still held when the chain stops is closed.
 */
export async function runJobSteps<V>(
  start: JobState<V>,
  options: JobStepsOptions<V>,
  signal: AbortSignal,
  granted?: HeldTicket,
): Promise<void> {
  let job: JobState<V> | undefined = start;
  let held = granted;
  try {
    while (job !== undefined && !signal.aborted) {
      const taken: { job: JobState<V>; held?: HeldTicket } | undefined = await runOneStep(
        job,
        options,
        signal,
        held,
      );
      held = taken?.held;
      job = taken?.job;
    }
  } finally {
    if (held !== undefined) await options.cache.closeTicket(held.ticket).catch(() => {});
  }
}

/**
 * The write of one step under its ticket: the update (or delete) the lifecycle chose. The write
 * keeps the ticket only when this instance chains the next step at once (the new status has a
 * step that may start now and no shutdown is under way); otherwise it is the chain's last write
 * and closes the ticket in the same commit. Returns the job as written (`undefined` after a
 * delete) and the revision and ticket handling for the ticket machine.
 */
async function commitStep<V>(
  job: JobState<V>,
  result: Exclude<StepResult<V>, { kind: "ignored" }>,
  outcome: StepOutcome,
  ticket: CacheTicket,
  options: JobStepsOptions<V>,
  signal: AbortSignal,
): Promise<{ done: CommitDone; next?: JobState<V> }> {
  if (result.kind === "delete") {
    await options.beforeDelete?.(job, ticket);
    await options.cache.deleteEntry(ticket, { close: true });
    return { done: { revision: 0, ticket: "closed" } };
  }
  const revision = job.revision + 1;
  const value =
    options.updateValue?.({
      job,
      status: result.status,
      value: result.value,
      revision,
      outcome,
      instanceId: options.instanceId,
    }) ?? result.value;
  const next = { key: job.key, status: result.status, revision, value };
  const step = options.lifecycle.step(result.status);
  const chains = step !== undefined && !signal.aborted && options.mayStart(next, step.notBeforeMs ?? 0);
  const written = await options.cache.updateEntry(ticket, result.status, value, { close: !chains });
  return {
    done: { revision: written, ticket: chains ? "kept" : "closed" },
    next: { ...next, revision: written },
  };
}

/** One step of `job` (under `held` when given); returns the job to chain and the ticket kept for it. */
async function runOneStep<V>(
  job: JobState<V>,
  options: JobStepsOptions<V>,
  signal: AbortSignal,
  held: HeldTicket | undefined,
): Promise<{ job: JobState<V>; held?: HeldTicket } | undefined> {
  const step = options.lifecycle.step(job.status);
  if (step === undefined || !options.mayStart(job, step.notBeforeMs ?? 0)) {
    if (held !== undefined) await options.cache.closeTicket(held.ticket).catch(() => {});
    return undefined;
  }
  const { clock, events, instanceId } = options;
  const durationMs = options.ticketDurationMs[step.ticket];
  const askedAt = clock.now();
  let grantedAt = askedAt;
  let leaseEnd = askedAt + durationMs;
  let written: { result: StepResult<V>; next?: JobState<V> } | undefined;
  const base = { key: job.key, revision: job.revision, instanceId };
  const onEvent = (event: TicketEmitted): void => {
    const now = clock.now();
    if (event.type === "ticket:granted") {
      grantedAt = now;
      leaseEnd = now + durationMs;
      options.onGranted(job);
      events.emit({ type: "granted", ...base, status: job.status, waitMs: now - askedAt });
    } else if (event.type === "ticket:renewed") {
      const leftMs = leaseEnd - now;
      leaseEnd = now + durationMs;
      events.emit({ type: "renewed", ...base, renewals: event.renewals, heldMs: now - grantedAt });
      if (leftMs < durationMs / 3) {
        events.emit({ type: "renewalLate", ...base, leftMs, heldMs: now - grantedAt });
      }
    } else if (event.type === "ticket:lost") {
      events.emit({
        type: "leaseLost",
        ...base,
        reason: event.reason,
        heldMs: now - grantedAt,
        ...(event.error === undefined ? {} : { error: event.error }),
      });
    } else if (event.type === "ticket:failed") {
      events.emit({ type: "stepFailed", ...base, error: event.error });
    }
  };
  const outcome = await runTicketStep({
    cache: options.cache as JobCache<unknown>,
    key: job.key,
    revision: job.revision,
    durationMs,
    clock,
    timers: options.timers,
    signal,
    onEvent,
    ...(held === undefined ? {} : { granted: held }),
    ...(options.renewRetries === undefined ? {} : { renewRetries: options.renewRetries }),
    ...(options.inspect === undefined ? {} : { inspect: (event) => options.inspect?.(event, job) }),
    work: (workSignal) =>
      options.executor.call({
        jobKey: job.key,
        step,
        fencingToken: job.revision,
        instanceId,
        signal: workSignal,
      }),
    commit: async (ticket, stepOutcome) => {
      const result = options.lifecycle.next(job, stepOutcome);
      if (result.kind === "ignored") {
        written = { result };
        return job.revision;
      }
      const commit = await commitStep(job, result, stepOutcome, ticket, options, signal);
      written = { result, ...(commit.next === undefined ? {} : { next: commit.next }) };
      return commit.done;
    },
  });
  if (outcome.kind === "superseded") {
    events.emit({ type: "superseded", ...base, waitMs: clock.now() - askedAt });
  }
  const kept = "held" in outcome ? outcome.held : undefined;
  if (outcome.kind !== "committed" || written === undefined || written.result.kind === "ignored") {
    return undefined;
  }
  events.emit({
    type: "committed",
    ...base,
    fromStatus: job.status,
    status: written.result.kind === "delete" ? null : written.result.status,
    newRevision: outcome.revision,
    stepMs: clock.now() - askedAt,
  });
  if (written.next === undefined) return undefined;
  return kept === undefined ? { job: written.next } : { job: written.next, held: kept };
}
