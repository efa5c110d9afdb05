/**
 * The hot-hot orchestrator loop: poll the cache for jobs that need a step (oldest first, leaving
 * out jobs another instance holds), run up to `maxJobs` of them at once, each as a chain of
 * ticket actors, and back off while the cache is unavailable. Several instances over one SQL
 * database never run the same step twice: the ticket decides who runs it, fencing decides whose
 * write counts.
 * @module
 */

import { type Clock, systemClock } from "../base/clock.js";
import { EInvalidArgument } from "../base/errors.js";
import { sleep, systemTimers, type Timers } from "../base/timers.js";
import type { JobCache } from "../base/types.js";
import { JOB_STATUSES } from "../machines/job-events.js";
import type { Executor } from "./executor.js";
import type { JobRecord } from "./job-record.js";
import { type JobCursor, type JobStepRunnerOptions, runJobSteps } from "./job-step-runner.js";

/** Settings of an {@link Orchestrator}. */
export interface OrchestratorOptions
  extends Pick<JobStepRunnerOptions, "beforeDelete" | "onCommitted" | "onStepEnded" | "inspect"> {
  readonly cache: JobCache<JobRecord>;
  readonly executor: Executor;
  /** This instance's name, recorded with every step it commits. */
  readonly worker: string;
  /** Launch capacity: jobs this instance works on at once. @defaultValue 10 */
  readonly maxJobs?: number;
  /** Time between polls when there is capacity. @defaultValue 250 */
  readonly pollIntervalMs?: number;
  /** Ticket lengths for short cache steps and executor calls (TRAC uses longer executor tickets). */
  readonly ticketDurationMs?: { readonly cache: number; readonly executor: number };
  /** Override of the statuses' `notBeforeMs` waits (e.g. 0 for a demo run). */
  readonly notBeforeMs?: number;
  /** Longest backoff while the cache is unavailable. @defaultValue 5000 */
  readonly maxBackoffMs?: number;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Poll failures, reported instead of thrown; the loop backs off and carries on. */
  readonly onPollFailed?: (error: unknown, backoffMs: number) => void;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new EInvalidArgument(name, `${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** One orchestrator instance. `start()` begins polling; `stop()` drains gracefully. */
export class Orchestrator {
  readonly #options: OrchestratorOptions;
  readonly #maxJobs: number;
  readonly #pollIntervalMs: number;
  readonly #maxBackoffMs: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #running = new Map<string, Promise<void>>();
  readonly #firstSeen = new Map<string, number>();
  readonly #stopPolling = new AbortController();
  readonly #cancelSteps = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: OrchestratorOptions) {
    this.#options = options;
    this.#maxJobs = positive("maxJobs", options.maxJobs ?? 10);
    this.#pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? 250);
    this.#maxBackoffMs = positive("maxBackoffMs", options.maxBackoffMs ?? 5000);
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
  }

  /** Jobs being worked on now. */
  get active(): number {
    return this.#running.size;
  }

  start(): void {
    this.#loop ??= this.#pollLoop();
  }

  /**
   * Stops polling and lets running steps finish; after `graceMs` the steps still running are
   * cancelled (their work aborted, their tickets closed, nothing committed).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopPolling.abort();
    await this.#loop;
    const drained = Promise.all(this.#running.values());
    const grace = sleep(graceMs, this.#timers, this.#cancelSteps.signal).then(
      () => this.#cancelSteps.abort(new Error("orchestrator stopped")),
      () => {},
    );
    await drained;
    this.#cancelSteps.abort();
    await grace;
  }

  async #pollLoop(): Promise<void> {
    const signal = this.#stopPolling.signal;
    let backoffMs = 0;
    while (!signal.aborted) {
      try {
        if (this.#running.size < this.#maxJobs) await this.#pollOnce();
        backoffMs = 0;
      } catch (error) {
        backoffMs = Math.min(this.#maxBackoffMs, Math.max(this.#pollIntervalMs, backoffMs * 2));
        this.#options.onPollFailed?.(error, backoffMs);
      }
      await sleep(backoffMs || this.#pollIntervalMs, this.#timers, signal).catch(() => {});
    }
  }

  async #pollOnce(): Promise<void> {
    const room = this.#maxJobs - this.#running.size;
    // ask for more than there is room for: some of them are being grabbed by other instances
    const entries = await this.#options.cache.queryStatus(JOB_STATUSES, {
      limit: room * 2 + this.#running.size,
    });
    for (const entry of entries) {
      if (this.#running.size >= this.#maxJobs || this.#stopPolling.signal.aborted) break;
      if (this.#running.has(entry.key) || !entry.cacheOk) continue;
      this.#launch({ key: entry.key, status: entry.status, revision: entry.revision, record: entry.value });
    }
  }

  #launch(cursor: JobCursor): void {
    const options = this.#options;
    const chain = runJobSteps(
      cursor,
      {
        ...options,
        worker: options.worker,
        ticketDurationMs: options.ticketDurationMs ?? { cache: 30_000, executor: 120_000 },
        clock: this.#clock,
        timers: this.#timers,
        mayStart: (at, notBeforeMs) => this.#mayStart(at, options.notBeforeMs ?? notBeforeMs),
      },
      this.#cancelSteps.signal,
    ).finally(() => this.#running.delete(cursor.key));
    this.#running.set(cursor.key, chain);
  }

  /** A status with a wait runs once this instance has seen it for that long. */
  #mayStart(cursor: JobCursor, notBeforeMs: number): boolean {
    if (notBeforeMs <= 0) return true;
    const id = `${cursor.key}@${cursor.revision}`;
    const seen = this.#firstSeen.get(id) ?? this.#clock.now();
    this.#firstSeen.set(id, seen);
    if (this.#clock.now() - seen < notBeforeMs) return false;
    this.#firstSeen.delete(id);
    return true;
  }
}
