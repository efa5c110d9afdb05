/**
 * A worker process for the process and fault tests, forked with the tsx loader. It opens one
 * job cache manager and runs ticket steps (runTicketStep, with heartbeats) or raw tickets as the
 * test asks over IPC, and answers every request once. A SIGKILL or SIGSTOP from the test is the
 * fault; nothing here expects it.
 */
import { setTimeout as delay } from "node:timers/promises";
import { type Clock, ManualClock, OffsetClock } from "../../../../src/lease/lease-clock.js";
import { runTicketStep, type TicketEmitted } from "../../../../src/lease/ticket-actor.js";
import { createJobCacheManager } from "../../../../src/manager/create-job-cache-manager.js";
import type { CacheTicket, JobCache, JobCacheManager } from "../../../../src/types.js";
import type {
  CounterOp,
  CounterValue,
  HammerReport,
  HoldMode,
  StepReport,
  TicketReport,
  WorkerClock,
  WorkerEnvelope,
  WorkerMessage,
  WorkerRequest,
} from "./worker-protocol.js";

/** An op retried this often without committing is given up (reported, and fails the test). */
const MAX_ATTEMPTS = 2_000;

let manager: JobCacheManager | undefined;
let clock: Clock = new OffsetClock(0);
/** Steps waiting for a `release-hold`, by key. */
const holds = new Map<string, () => void>();
/** Raw tickets with the entry they read, by key. */
const tickets = new Map<string, { cache: JobCache<CounterValue>; ticket: CacheTicket; value: CounterValue }>();

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

function makeClock(spec: WorkerClock): Clock {
  return spec.kind === "frozen" ? new ManualClock(Date.now()) : new OffsetClock(spec.offsetMs);
}

function cacheOf(name: string): JobCache<CounterValue> {
  if (manager === undefined) throw new Error("the worker has no manager: send open first");
  return manager.getCache<CounterValue>(name);
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

interface AttemptResult {
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
async function attempt(
  cache: JobCache<CounterValue>,
  key: string,
  durationMs: number,
  hold: HoldMode,
  next: (value: CounterValue) => CounterValue | undefined,
  onEvent: (event: TicketEmitted) => void,
): Promise<AttemptResult> {
  const entry = await cache.queryKey(key);
  if (entry === undefined) throw new Error(`entry ${key} does not exist`);
  let renewed!: () => void;
  const firstRenewal = new Promise<void>((resolve) => {
    renewed = resolve;
  });
  let released!: () => void;
  const release = new Promise<void>((resolve) => {
    released = resolve;
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
      if (event.type === "ticket:granted" && hold === "message") holds.set(key, released);
      onEvent(event);
    },
    work: async (signal, ticket) => {
      const current = await cache.readEntry(ticket);
      if (hold === "renewal") await unlessAborted(firstRenewal, signal);
      if (hold === "message") await unlessAborted(release, signal);
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
  holds.delete(key);
  const revision = outcome.kind === "committed" ? outcome.revision : entry.revision;
  const refused = commitError instanceof Error && commitError.name === "ECacheTicket";
  if (commitError !== undefined && !refused) {
    return { kind: outcome.kind, revision, uncertain: `${key}: ${String(commitError)}` };
  }
  return { kind: outcome.kind, revision, doneBefore };
}

/** Retries an attempt (also after the store was unreachable) until it commits or is uncertain. */
async function untilCommitted(
  run: () => Promise<AttemptResult>,
  outcomes: Record<string, number>,
): Promise<{ result: AttemptResult | undefined; attempts: number }> {
  for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts += 1) {
    let result: AttemptResult;
    try {
      result = await run();
    } catch (error) {
      // queryKey failed: nothing was opened
      outcomes[`query-failed`] = (outcomes["query-failed"] ?? 0) + 1;
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

async function hammer(cacheName: string, durationMs: number, ops: readonly CounterOp[]): Promise<HammerReport> {
  const cache = cacheOf(cacheName);
  const commits: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const uncertain: string[] = [];
  let renewals = 0;
  let gaveUp = 0;
  const increment = (value: CounterValue): CounterValue => ({ ...value, count: value.count + 1 });
  for (const op of ops) {
    const { result } = await untilCommitted(
      () =>
        attempt(cache, op.key, durationMs, op.hold, increment, (event) => {
          if (event.type === "ticket:renewed") renewals += 1;
        }),
      outcomes,
    );
    if (result === undefined) gaveUp += 1;
    else if (result.uncertain !== undefined) uncertain.push(result.uncertain);
    else commits[op.key] = (commits[op.key] ?? 0) + 1;
  }
  return { commits, outcomes, renewals, uncertain, gaveUp };
}

async function step(request: Extract<WorkerRequest, { type: "step" }>): Promise<StepReport> {
  const cache = cacheOf(request.cacheName);
  const outcomes: Record<string, number> = {};
  const record = (value: CounterValue): CounterValue | undefined =>
    value.steps.some((done) => done.split("@")[0] === request.stepName)
      ? undefined
      : { count: value.count + 1, steps: [...value.steps, request.record] };
  const { result, attempts } = await untilCommitted(
    () =>
      attempt(cache, request.key, request.durationMs, request.hold, record, (event) => {
        const detail = event.type === "ticket:renewed" ? event.renewals : undefined;
        send({ type: "event", key: request.key, event: event.type, ...(detail === undefined ? {} : { detail }) });
      }),
    outcomes,
  );
  if (result?.uncertain !== undefined) throw new Error(`uncertain commit: ${result.uncertain}`);
  const outcome = result === undefined ? "gave-up" : result.doneBefore ? "done-before" : "committed";
  return { result: outcome, revision: result?.revision ?? 0, attempts, outcomes };
}

async function ticketOpen(cacheName: string, key: string, durationMs: number): Promise<TicketReport> {
  const cache = cacheOf(cacheName);
  const entry = await cache.queryKey(key);
  if (entry === undefined) throw new Error(`entry ${key} does not exist`);
  const ticket = await cache.openTicket(key, entry.revision, durationMs);
  const granted = !ticket.superseded && !ticket.missing;
  if (granted) tickets.set(key, { cache, ticket, value: (await cache.readEntry(ticket)).value });
  return {
    granted,
    superseded: ticket.superseded,
    missing: ticket.missing,
    revision: ticket.revision,
    expiry: ticket.expiry.toISOString(),
  };
}

function heldTicket(key: string) {
  const held = tickets.get(key);
  if (held === undefined) throw new Error(`no ticket held on ${key}`);
  return held;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case "open":
      clock = makeClock(request.clock);
      manager = await createJobCacheManager(request.config, { clock });
      return { pid: process.pid };
    case "hammer":
      return hammer(request.cacheName, request.durationMs, request.ops);
    case "step":
      return step(request);
    case "release-hold": {
      const release = holds.get(request.key);
      release?.();
      return release !== undefined;
    }
    case "ticket-open":
      return ticketOpen(request.cacheName, request.key, request.durationMs);
    case "ticket-write": {
      const { cache, ticket, value } = heldTicket(request.key);
      const next = { count: value.count + 1, steps: [...value.steps, request.record] };
      return cache.updateEntry(ticket, "COUNTED", next);
    }
    case "ticket-renew": {
      const held = heldTicket(request.key);
      const renewed = await held.cache.renewTicket(held.ticket, request.durationMs);
      tickets.set(request.key, { ...held, ticket: renewed });
      return renewed.expiry.toISOString();
    }
    case "ticket-close": {
      const held = tickets.get(request.key);
      tickets.delete(request.key);
      await held?.ticket.close();
      return true;
    }
    case "close":
      await manager?.close();
      manager = undefined;
      return true; // the test disconnects, and the worker exits
  }
}

process.on("message", (message: WorkerEnvelope) => {
  handle(message).then(
    (result) => send({ type: "reply", id: message.id, ok: true, result: result ?? null }),
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      send({ type: "reply", id: message.id, ok: false, error: { name: failure.name, message: failure.message } });
    },
  );
});
// the test went away without saying close: do not linger
process.once("disconnect", () => {
  void manager?.close().finally(() => process.exit(0));
  if (manager === undefined) process.exit(0);
});
