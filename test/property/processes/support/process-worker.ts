/**
 * A worker process for the process and fault tests, forked with the tsx loader. It opens one
 * job cache manager and runs ticket steps (runTicketStep, with heartbeats) or raw tickets as the
 * test asks over IPC, and answers every request once. A SIGKILL or SIGSTOP from the test is the
 * fault; nothing here expects it.
 */
import { type Clock, ManualClock, OffsetClock } from "../../../../src/base/clock.js";
import type { Logger } from "../../../../src/base/logger.js";
import type { CacheTicket, JobCache, JobCacheManager } from "../../../../src/base/types.js";
import { createJobCacheManager } from "../../../../src/manager/create-job-cache-manager.js";
import { attemptStep, untilCommitted } from "./counter-steps.js";
import type {
  CounterOp,
  CounterValue,
  HammerReport,
  StepReport,
  TicketReport,
  WorkerClock,
  WorkerEnvelope,
  WorkerMessage,
  WorkerRequest,
} from "./worker-protocol.js";

let manager: JobCacheManager | undefined;
/** What the store logged since the last `hammer` began, by message (retries, lost connections). */
let storeLog: Record<string, number> = {};
const countingLogger: Logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [
    level,
    (message: string) => {
      storeLog[message] = (storeLog[message] ?? 0) + 1;
    },
  ]),
) as unknown as Logger;
let clock: Clock = new OffsetClock(0);
/** Raw tickets with the entry they read, by key. */
const tickets = new Map<
  string,
  { cache: JobCache<CounterValue>; ticket: CacheTicket; value: CounterValue }
>();

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

async function hammer(
  cacheName: string,
  durationMs: number,
  ops: readonly CounterOp[],
): Promise<HammerReport> {
  const cache = cacheOf(cacheName);
  storeLog = {};
  const commits: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const uncertain: string[] = [];
  let renewals = 0;
  let gaveUp = 0;
  const increment = (value: CounterValue): CounterValue => ({ ...value, count: value.count + 1 });
  for (const op of ops) {
    const { result } = await untilCommitted(
      () =>
        attemptStep({
          cache,
          key: op.key,
          durationMs,
          hold: op.hold,
          clock,
          next: increment,
          onEvent: (event) => {
            if (event.type === "ticket:renewed") renewals += 1;
          },
        }),
      outcomes,
    );
    if (result === undefined) gaveUp += 1;
    else if (result.uncertain !== undefined) uncertain.push(result.uncertain);
    else commits[op.key] = (commits[op.key] ?? 0) + 1;
  }
  return { commits, outcomes, renewals, uncertain, gaveUp, storeLog };
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
      attemptStep({
        cache,
        key: request.key,
        durationMs: request.durationMs,
        hold: request.hold,
        clock,
        next: record,
        onEvent: (event) => {
          const detail = event.type === "ticket:renewed" ? event.renewals : undefined;
          send({
            type: "event",
            key: request.key,
            event: event.type,
            ...(detail === undefined ? {} : { detail }),
          });
        },
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
      await manager?.close();
      clock = makeClock(request.clock);
      manager = await createJobCacheManager(request.config, { clock, logger: countingLogger });
      return { pid: process.pid };
    case "hammer":
      return hammer(request.cacheName, request.durationMs, request.ops);
    case "step":
      return step(request);
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
      send({
        type: "reply",
        id: message.id,
        ok: false,
        error: { name: failure.name, message: failure.message },
      });
    },
  );
});
// the test went away without saying close: do not linger
process.once("disconnect", () => {
  void manager?.close().finally(() => process.exit(0));
  if (manager === undefined) process.exit(0);
});
