/**
 * The hot-hot orchestrator: poll the cache for jobs that need a step (oldest first, leaving out
 * jobs another instance holds), run up to `maxJobs` of them at once, each as a chain of ticket
 * actors, and back off while the cache is unavailable. Several instances over one database never
 * commit the same step twice: the ticket decides who runs it, fencing decides whose write counts.
 * All polling is in `#poll`, all writes in `commitStep` (job-steps.ts).
 * @module
 */
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type { InspectionEvent } from "xstate";
import { type Clock, systemClock } from "../base/clock.js";
import { EInvalidArgument } from "../base/errors.js";
import { sleep, systemTimers, type Timers } from "../base/timers.js";
import type { CacheTicket, JobCache } from "../base/types.js";
import type { Executor } from "./executor.js";
import { type JobStepsOptions, runJobSteps, type StepChange } from "./job-steps.js";
import { type JobState, type LifecycleInput, toLifecycle } from "./lifecycle.js";
import { EventHub, type OrchestratorEvent, type OrchestratorEvents } from "./orchestrator-events.js";
import type { HeldTicket } from "./ticket-actor.js";

/** Entries one `claimStatus` call may claim (CONTRACT.md "Fast path"). */
const MAX_CLAIM = 1000;

/** Settings of {@link createOrchestrator}. */
export interface OrchestratorOptions<V> {
  /** The job cache; each entry is a job, its status the job's state. */
  readonly cache: JobCache<V>;
  /** Runs the work of each step. */
  readonly executor: Executor;
  /** The job lifecycle: an XState machine, a status table, or a JobLifecycle. @defaultValue TRAC's */
  readonly lifecycle?: LifecycleInput<NoInfer<V>>;
  /** This instance's name, in every event and executor call. @defaultValue `host:pid` */
  readonly instanceId?: string;
  /** Jobs this instance works on at once. @defaultValue 10 */
  readonly maxJobs?: number;
  /** Time between polls when there is room. @defaultValue 250 */
  readonly pollIntervalMs?: number;
  /** Longest backoff while the cache is unavailable. @defaultValue 5000 */
  readonly maxBackoffMs?: number;
  /** Ticket lengths: one for every step, or short cache steps and long executor calls (as TRAC). @defaultValue `{ cache: 30_000, executor: 120_000 }` */
  readonly ticketDurationMs?: number | { readonly cache: number; readonly executor: number };
  /** Override of every status's `notBeforeMs` wait (e.g. 0 for a demo). */
  readonly notBeforeMs?: number;
  /** Retries of a failed renewal before a lease counts as lost. @defaultValue 2 */
  readonly renewRetries?: number;
  /** How often to look for jobs held elsewhere, to report failovers. @defaultValue 2000 */
  readonly failoverScanMs?: number;
  /** The value written with each new status, e.g. to append to a history. @defaultValue the lifecycle's value */
  readonly updateValue?: (change: StepChange<NoInfer<V>>) => NoInfer<V>;
  /** Called under the ticket right before a job's entry is deleted (archive it, notify, ...). */
  readonly beforeDelete?: (job: JobState<NoInfer<V>>, ticket: CacheTicket) => Promise<void>;
  /** Every event, as `orchestrator.on("*", fn)` would get it. */
  readonly onEvent?: (event: OrchestratorEvent) => void;
  /** XState inspection of every ticket actor, with the job it works on. */
  readonly inspect?: (event: InspectionEvent, job: JobState<NoInfer<V>>) => void;
  readonly clock?: Clock;
  readonly timers?: Timers;
}

/** A running orchestrator instance. */
export interface Orchestrator {
  readonly instanceId: string;
  /** Jobs being worked on now. */
  readonly active: number;
  /** Starts polling; the process stays alive until `stop()`. Calling it again does nothing. */
  start(): void;
  /**
   * Stops polling and lets running steps finish; after `graceMs` the steps still running are
   * cancelled: their work is aborted, their tickets closed, nothing of theirs is committed.
   */
  stop(graceMs?: number): Promise<void>;
  /** Subscribes to one event type (or `"*"` for all); returns the unsubscribe function. */
  on<K extends keyof OrchestratorEvents | "*">(
    type: K,
    listener: (event: K extends keyof OrchestratorEvents ? OrchestratorEvents[K] : OrchestratorEvent) => void,
  ): () => void;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new EInvalidArgument(name, `${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

function ticketDurations(option: OrchestratorOptions<unknown>["ticketDurationMs"]) {
  const durations =
    typeof option === "number"
      ? { cache: option, executor: option }
      : (option ?? { cache: 30_000, executor: 120_000 });
  return {
    cache: positive("ticketDurationMs.cache", durations.cache),
    executor: positive("ticketDurationMs.executor", durations.executor),
  };
}

/**
 * Creates an orchestrator instance over `cache`. Nothing runs until `start()`.
 * @example
 * const orchestrator = createOrchestrator({ cache: jobs, executor, lifecycle: statusTable({ ... }) });
 * orchestrator.on("committed", (e) => console.log(`${e.key} -> ${e.status} at ${e.newRevision}`));
 * orchestrator.start();
 * process.once("SIGTERM", () => orchestrator.stop(10_000));
 */
export function createOrchestrator<V>(options: OrchestratorOptions<V>): Orchestrator {
  if (options === null || typeof options !== "object") {
    throw new EInvalidArgument("options", "createOrchestrator needs an options object");
  }
  if (typeof options.cache?.queryStatus !== "function") {
    throw new EInvalidArgument("cache", "createOrchestrator: cache must be a JobCache");
  }
  if (typeof options.executor?.call !== "function") {
    throw new EInvalidArgument("executor", "createOrchestrator: executor must have a call(call) method");
  }
  return new OrchestratorInstance(options);
}

class OrchestratorInstance<V> implements Orchestrator {
  readonly instanceId: string;
  readonly #cache: JobCache<V>;
  readonly #steps: JobStepsOptions<V>;
  readonly #maxJobs: number;
  readonly #pollIntervalMs: number;
  readonly #maxBackoffMs: number;
  readonly #failoverScanMs: number;
  readonly #notBeforeMs: number | undefined;
  /** Lease length of a claim: the shorter ticket, so a crashed claimer frees its jobs soonest; a step needing the longer one renews to it. */
  readonly #claimMs: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #events = new EventHub();
  readonly #running = new Map<string, Promise<void>>();
  readonly #firstSeen = new Map<string, number>();
  /** Jobs seen held by another instance: key -> the revision and when first seen so. */
  #heldElsewhere = new Map<string, { revision: number; since: number }>();
  #lastScan = Number.NEGATIVE_INFINITY;
  readonly #stopPolling = new AbortController();
  readonly #cancelSteps = new AbortController();
  #loop: Promise<void> | undefined;
  /** A started orchestrator keeps the process alive until stopped (its own timers are `unref`'d). */
  #keepAlive: ReturnType<typeof setInterval> | undefined;

  constructor(options: OrchestratorOptions<V>) {
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
    if (typeof this.instanceId !== "string" || this.instanceId === "") {
      throw new EInvalidArgument("instanceId", "instanceId must be a non-empty string");
    }
    this.#cache = options.cache;
    this.#maxJobs = positive("maxJobs", options.maxJobs ?? 10);
    this.#pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? 250);
    this.#maxBackoffMs = positive("maxBackoffMs", options.maxBackoffMs ?? 5000);
    this.#failoverScanMs = positive("failoverScanMs", options.failoverScanMs ?? 2000);
    this.#notBeforeMs = options.notBeforeMs;
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
    if (options.onEvent !== undefined) this.#events.on("*", options.onEvent);
    // every running step listens for the cancel: maxJobs listeners are expected, not a leak
    setMaxListeners(0, this.#cancelSteps.signal);
    const durations = ticketDurations(options.ticketDurationMs);
    this.#claimMs = Math.min(durations.cache, durations.executor);
    this.#steps = {
      cache: options.cache,
      executor: options.executor,
      lifecycle: toLifecycle(options.lifecycle),
      instanceId: this.instanceId,
      ticketDurationMs: durations,
      clock: this.#clock,
      timers: this.#timers,
      events: this.#events,
      mayStart: (job, notBeforeMs) => this.#mayStart(job, this.#notBeforeMs ?? notBeforeMs),
      onGranted: (job) => this.#noteGrant(job),
      ...(options.renewRetries === undefined ? {} : { renewRetries: options.renewRetries }),
      ...(options.updateValue === undefined ? {} : { updateValue: options.updateValue }),
      ...(options.beforeDelete === undefined ? {} : { beforeDelete: options.beforeDelete }),
      ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    };
  }

  get active(): number {
    return this.#running.size;
  }

  on: Orchestrator["on"] = (type, listener) => this.#events.on(type, listener);

  start(): void {
    if (this.#stopPolling.signal.aborted || this.#loop !== undefined) return;
    this.#lastScan = this.#clock.now();
    this.#keepAlive = setInterval(() => {}, 2 ** 30);
    this.#loop = this.#pollLoop();
  }

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
    clearInterval(this.#keepAlive);
  }

  async #pollLoop(): Promise<void> {
    const signal = this.#stopPolling.signal;
    let backoffMs = 0;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.#running.size < this.#maxJobs) await this.#poll();
        backoffMs = 0;
        failures = 0;
      } catch (error) {
        failures += 1;
        backoffMs = Math.min(this.#maxBackoffMs, Math.max(this.#pollIntervalMs, backoffMs * 2));
        this.#events.emit({ type: "pollFailed", instanceId: this.instanceId, error, failures, backoffMs });
      }
      await sleep(backoffMs || this.#pollIntervalMs, this.#timers, signal).catch(() => {});
    }
  }

  /**
   * One poll: a single `claimStatus` for all the free capacity (poll and grant in one atomic step
   * of the store), each claimed job launched as a chain of ticket actors under its granted ticket.
   * Statuses with a wait (`notBeforeMs`) are not claimed, since claiming a job that must wait would
   * hold it for nothing and crowd out jobs that may run: those are queried, and their chains open
   * their own tickets once the wait is over. Every few seconds free and held jobs are also queried
   * to report failovers.
   */
  async #poll(): Promise<void> {
    const { lifecycle } = this.#steps;
    const room = this.#maxJobs - this.#running.size;
    // ask for more than there is room for: some of them are being grabbed by other instances
    const limit = room * 2 + this.#running.size;
    if (this.#clock.now() - this.#lastScan >= this.#failoverScanMs) {
      const [free, all] = await Promise.all([
        this.#cache.queryStatus(lifecycle.statuses, { limit }),
        this.#cache.queryStatus(lifecycle.statuses, { limit, includeOpenTickets: true }),
      ]);
      this.#noteHeld(all, free, limit);
    }
    const waits = (status: string) => (this.#notBeforeMs ?? lifecycle.step(status)?.notBeforeMs ?? 0) > 0;
    const claimable = lifecycle.statuses.filter((status) => !waits(status));
    const waiting = lifecycle.statuses.filter(waits);
    if (claimable.length > 0) {
      const sentAt = this.#clock.now();
      const claimMs = this.#claimMs;
      const claimed = await this.#cache.claimStatus(claimable, claimMs, {
        limit: Math.min(MAX_CLAIM, Math.ceil(room)),
      });
      const unused: Promise<void>[] = [];
      for (const { ticket, entry } of claimed) {
        if (!this.#mayLaunch(entry.key) || !entry.cacheOk) {
          unused.push(this.#cache.closeTicket(ticket).catch(() => {}));
          continue;
        }
        const job = { key: entry.key, status: entry.status, revision: entry.revision, value: entry.value };
        this.#launch(job, { ticket, deadline: sentAt + claimMs });
      }
      await Promise.all(unused);
    }
    if (waiting.length === 0 || !this.#mayLaunch(undefined)) return;
    for (const entry of await this.#cache.queryStatus(waiting, { limit })) {
      if (!this.#mayLaunch(undefined)) break;
      if (this.#running.has(entry.key) || !entry.cacheOk) continue;
      this.#launch({ key: entry.key, status: entry.status, revision: entry.revision, value: entry.value });
    }
  }

  /** Whether there is room for one more job (`key`, when given, not already running) and no stop. */
  #mayLaunch(key: string | undefined): boolean {
    if (this.#running.size >= this.#maxJobs || this.#stopPolling.signal.aborted) return false;
    return key === undefined || !this.#running.has(key);
  }

  /** Entries a full query shows but the free query hides (and this instance does not run) are held elsewhere. */
  #noteHeld(all: readonly JobState<V>[], free: readonly JobState<V>[], limit: number): void {
    this.#lastScan = this.#clock.now();
    const freeKeys = new Set(free.map((entry) => entry.key));
    const last = free.length >= limit ? free.at(-1) : undefined;
    const held = new Map<string, { revision: number; since: number }>();
    for (const entry of all) {
      // a full free list ends early: past its last entry the two lists cover different jobs
      if (last !== undefined && entry.key === last.key) break;
      const before = this.#heldElsewhere.get(entry.key);
      if (freeKeys.has(entry.key) || this.#running.has(entry.key)) {
        // freed since it was seen held, not yet granted here: remembered until this instance gets it
        if (before?.revision === entry.revision) held.set(entry.key, before);
        continue;
      }
      held.set(entry.key, {
        revision: entry.revision,
        since: before?.revision === entry.revision ? before.since : this.#clock.now(),
      });
    }
    this.#heldElsewhere = held;
  }

  #noteGrant(job: JobState<V>): void {
    const held = this.#heldElsewhere.get(job.key);
    if (held === undefined) return;
    this.#heldElsewhere.delete(job.key);
    if (held.revision !== job.revision) return;
    const waitedMs = this.#clock.now() - held.since;
    this.#events.emit({
      type: "failover",
      key: job.key,
      revision: job.revision,
      instanceId: this.instanceId,
      waitedMs,
    });
  }

  #launch(job: JobState<V>, granted?: HeldTicket): void {
    const chain = runJobSteps(job, this.#steps, this.#cancelSteps.signal, granted).finally(() =>
      this.#running.delete(job.key),
    );
    this.#running.set(job.key, chain);
  }

  /** A status with a wait runs once this instance has seen it for that long. */
  #mayStart(job: JobState<V>, notBeforeMs: number): boolean {
    if (notBeforeMs <= 0) return true;
    const id = `${job.key}@${job.revision}`;
    const seen = this.#firstSeen.get(id) ?? this.#clock.now();
    this.#firstSeen.set(id, seen);
    if (this.#clock.now() - seen < notBeforeMs) return false;
    this.#firstSeen.delete(id);
    return true;
  }
}
