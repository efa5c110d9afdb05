/**
 * One counter step as the workers run it: a ticket step (runTicketStep, with heartbeats) that
 * opens the key at the revision queryKey shows, reads the entry, holds the key as asked, and
 * writes the next value; and the loop that tries again after a refusal until it commits.
 * Runs inside the worker processes.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../../../../src/base/clock.js";
import type { JobCache } from "../../../../src/base/types.js";
import { runTicketStep, type TicketEmitted } from "../../../../src/runtime/ticket-actor.js";
import type { CounterValue, HoldMode } from "./worker-protocol.js";

/** An op retried this often without committing is given up (reported, and fails the test). */
const MAX_ATTEMPTS = 2_000;

/** What one attempt needs. */
export interface CounterStep {
  readonly cache: JobCache<CounterValue>;
  readonly key: string;
  readonly durationMs: number;
  readonly hold: HoldMode;
  /** The manager's clock, also the ticket actor's. */
  readonly clock: Clock;
  /** The value to write, or undefined to write nothing (the step was done before). */
  readonly next: (value: CounterValue) => CounterValue | undefined;
  readonly onEvent: (event: TicketEmitted) => void;
}

/** Resolves when `ready` does; rejects when `signal` aborts (the lease is gone). */
function unlessAborted(ready: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    ready.then(resolve);
  });
}

/** Jittered pause before trying a refused step again, so racing processes do not spin in step. */
function backoff(): Promise<void> {
  return delay(1 + Math.random() * 4);
}

/** How one attempt ended. */
export interface AttemptResult {
  readonly kind: string;
  readonly revision: number;
  /** The commit threw something other than a refusal: it may or may not have been written. */
  readonly uncertain?: string;
  /** The step was already recorded: nothing was written. */
  readonly doneBefore?: boolean;
}

/**
 * One attempt of one step: open at the revision `queryKey` shows, read, hold as `hold` says,
 * then write `next(value)` (or nothing when it returns undefined).
 */
export async function attemptStep(step: CounterStep): Promise<AttemptResult> {
  const { cache, key, durationMs, hold, clock, next, onEvent } = step;
  const entry = await cache.queryKey(key);
  if (entry === undefined) throw new Error(`entry ${key} does not exist`);
  let renewed!: () => void;
  const firstRenewal = new Promise<void>((resolve) => {
    renewed = resolve;
  });
  let commitError: unknown;
  let doneBefore = false;
  const outcome = await runTicketStep<CounterValue | undefined>({
    cache,
    key,
    revision: entry.revision,
    durationMs,
    clock,
    onEvent: (event) => {
      if (event.type === "ticket:renewed") renewed();
      onEvent(event);
    },
    work: async (signal, ticket) => {
      const current = await cache.readEntry(ticket);
      if (hold === "renewal") await unlessAborted(firstRenewal, signal);
      if (hold === "until-lost") await unlessAborted(new Promise<void>(() => {}), signal);
      return next(current.value);
    },
    commit: async (ticket, value) => {
      if (value === undefined) {
        doneBefore = true;
        return ticket.revision;
      }
      try {
        return await cache.updateEntry(ticket, "COUNTED", value);
      } catch (error) {
        commitError = error;
        throw error;
      }
    },
  });
  const revision = outcome.kind === "committed" ? outcome.revision : entry.revision;
  const refused = commitError instanceof Error && commitError.name === "ECacheTicket";
  if (commitError !== undefined && !refused) {
    return { kind: outcome.kind, revision, uncertain: `${key}: ${String(commitError)}` };
  }
  return { kind: outcome.kind, revision, doneBefore };
}

/** Retries an attempt (also after the store was unreachable) until it commits or is uncertain. */
export async function untilCommitted(
  run: () => Promise<AttemptResult>,
  outcomes: Record<string, number>,
): Promise<{ result: AttemptResult | undefined; attempts: number }> {
  for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts += 1) {
    let result: AttemptResult;
    try {
      result = await run();
    } catch (error) {
      // queryKey failed: nothing was opened
      outcomes["query-failed"] = (outcomes["query-failed"] ?? 0) + 1;
      if (error instanceof Error && error.name !== "ECacheUnavailable") throw error;
      await backoff();
      continue;
    }
    outcomes[result.kind] = (outcomes[result.kind] ?? 0) + 1;
    if (result.kind === "committed" || result.uncertain !== undefined) return { result, attempts };
    await backoff();
  }
  return { result: undefined, attempts: MAX_ATTEMPTS };
}
