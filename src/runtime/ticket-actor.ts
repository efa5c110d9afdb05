/**
 * Runs one job step under a ticket: the ticket machine with real implementations provided
 * (open, work, heartbeat, commit and close through the {@link JobCache} interface, never the
 * store), on an injected clock and timers. Resolves with how the step ended; never rejects.
 * @module
 */
import { createActor, fromPromise, type InspectionEvent, type Observer } from "xstate";
import { type Clock, systemClock } from "../base/clock.js";
import { describeLocation, ECacheTicket, EInvalidArgument } from "../base/errors.js";
import { systemTimers, type Timers } from "../base/timers.js";
import type { CacheTicket, JobCache } from "../base/types.js";
import type { LeaseGrant, TicketContext, TicketEmitted, TicketOutcome } from "../machines/ticket-events.js";
import { ticketMachine } from "../machines/ticket-machine.js";
import { heartbeatActor } from "./heartbeat.js";
import { DEFAULT_RENEW_RETRIES, validateRenewRetries } from "./renew-policy.js";

export type { TicketEmitted, TicketOutcome } from "../machines/ticket-events.js";

/** The part of a {@link JobCache} a ticket step uses: tickets only, whatever the value type. */
export type TicketCache = Pick<
  JobCache<unknown>,
  "openTicket" | "openNewTicket" | "renewTicket" | "closeTicket"
>;

/** A live ticket handed to a step instead of opening one: granted by `claimStatus`, or kept by the step before. */
export interface HeldTicket {
  /** The ticket as last granted or renewed. */
  readonly ticket: CacheTicket;
  /** Local-clock time (epoch ms) at which its lease ends unless renewed. */
  readonly deadline: number;
}

/**
 * What a commit did with the ticket besides writing: `closed` it in the same commit (a write with
 * `{ close: true }`: the step then closes nothing), or `kept` it live for the caller's next step
 * (the step hands it back in its outcome instead of closing it).
 */
export interface CommitDone {
  readonly revision: number;
  readonly ticket: "closed" | "kept";
}

/** How a step ended; a `committed` step whose commit kept the ticket hands it back as `held`. */
export type TicketStepOutcome =
  | TicketOutcome
  | { readonly kind: "committed"; readonly revision: number; readonly held: HeldTicket };

/** One ticket step: what to hold, the work to do while holding it, and how to commit its result. */
export interface TicketStepOptions<R> {
  /** The cache to open, renew, and close the ticket through (any `JobCache<T>`). */
  readonly cache: TicketCache;
  readonly key: string;
  /** The entry revision to hold (`openTicket`), or `null` to create the entry (`openNewTicket`). */
  readonly revision: number | null;
  /** Lease length; renewed every third of it while the work runs. */
  readonly durationMs: number;
  /**
   * A ticket already granted for `key` (by `claimStatus`, or kept by the step before): the step
   * starts with it instead of opening one (renewing it first when less than two thirds of
   * `durationMs` is left); heartbeats, lease-lost abort and fencing are unchanged, and it is
   * closed like an opened one. @defaultValue none: the step opens its ticket
   */
  readonly granted?: HeldTicket;
  /** The work. Stop when `signal` aborts: the lease is gone and its result will not be committed. */
  readonly work: (signal: AbortSignal, ticket: CacheTicket) => Promise<R>;
  /**
   * Writes the result under the ticket (`updateEntry` / `createEntry` / `deleteEntry`); returns the
   * revision, or a {@link CommitDone} when the write closed the ticket (`{ close: true }`) or keeps it.
   */
  readonly commit: (ticket: CacheTicket, result: R) => Promise<number | CommitDone>;
  /** Local clock for deadlines: the one the cache's manager was given. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Timers for heartbeats, deadlines and backoff. @defaultValue `unref`'d process timers */
  readonly timers?: Timers;
  /** Retries of a failed renewal before the lease counts as lost. @defaultValue 2 */
  readonly renewRetries?: number;
  /** Aborting it cancels the step (shutdown): the work is aborted and the outcome is `failed`. */
  readonly signal?: AbortSignal;
  /** Observability events (`ticket:granted`, `ticket:lost`, ...). Errors thrown here are swallowed. */
  readonly onEvent?: (event: TicketEmitted) => void;
  /** XState inspection, for traces of every transition. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

function validate<R>(options: TicketStepOptions<R>): number {
  if (options === null || typeof options !== "object") {
    throw new EInvalidArgument("options", "runTicketStep needs an options object");
  }
  for (const name of ["work", "commit"] as const) {
    if (typeof options[name] !== "function") {
      throw new EInvalidArgument(name, `runTicketStep: ${name} must be a function`);
    }
  }
  if (options.cache === null || typeof options.cache !== "object") {
    throw new EInvalidArgument("cache", "runTicketStep: cache must be a JobCache");
  }
  if (!(Number.isFinite(options.durationMs) && options.durationMs > 0)) {
    throw new EInvalidArgument(
      "durationMs",
      `durationMs must be a finite number > 0, got ${String(options.durationMs)}`,
    );
  }
  const granted = options.granted;
  if (granted !== undefined && (granted?.ticket?.key !== options.key || !Number.isFinite(granted.deadline))) {
    throw new EInvalidArgument(
      "granted",
      `runTicketStep: granted must be { ticket, deadline } with a ticket for key "${String(options.key)}"`,
    );
  }
  return validateRenewRetries(options.renewRetries ?? DEFAULT_RENEW_RETRIES);
}

/** Why the work is aborted, as the work's signal reports it. */
function abortReason(context: TicketContext): unknown {
  const outcome = context.outcome;
  if (outcome?.kind === "failed") return outcome.error;
  const why = outcome?.kind === "expired" ? outcome.reason : "ended";
  return new ECacheTicket(`Lease on ${describeLocation(undefined, context.key)} ${why}: work aborted`, {
    key: context.key,
    cause: outcome?.kind === "expired" ? outcome.error : undefined,
  });
}

/**
 * Runs one step of a job under a ticket and resolves with how it ended:
 * `committed` (with the new revision), `superseded`, `missing`, `expired` (lease lost before the
 * commit: the work was aborted and nothing was committed) or `failed`. The ticket is closed in
 * every case (by the commit itself when it wrote with `{ close: true }`), except that a commit
 * that `kept` it hands it back live as `held`; nothing is left scheduled when the promise settles.
 * @example
 * ```ts
 * import { createJobCacheManager } from "jobcache";
 * import { runTicketStep } from "jobcache/orchestrator";
 *
 * const manager = await createJobCacheManager({ protocol: "LOCAL" });
 * const pages = manager.getCache<{ url: string; httpStatus?: number }>("pages");
 * for (const entry of await pages.queryStatus(["QUEUED"])) {
 *   const outcome = await runTicketStep({
 *     cache: pages,
 *     key: entry.key,
 *     revision: entry.revision,
 *     durationMs: 30_000,
 *     // aborted the moment the lease is lost: the fetch stops and nothing is committed
 *     work: (signal) => fetch(entry.value.url, { signal }).then((response) => response.status),
 *     commit: (ticket, httpStatus) => pages.updateEntry(ticket, "FETCHED", { ...entry.value, httpStatus }),
 *   });
 *   if (outcome.kind === "committed") console.log(`${entry.key} now at revision ${outcome.revision}`);
 * }
 * ```
 */
export async function runTicketStep<R>(options: TicketStepOptions<R>): Promise<TicketStepOutcome> {
  const retries = validate(options);
  const { cache, clock = systemClock, timers = systemTimers, granted } = options;
  if (options.signal?.aborted) {
    // cancelled before it began: only a ticket handed in needs closing
    if (granted !== undefined) await cache.closeTicket(granted.ticket).catch(() => {});
    return { kind: "failed", error: options.signal.reason };
  }
  const abort = new AbortController();
  /** Set once the commit closed the ticket or kept it: the machine's close then leaves it alone. */
  let handedOff: CommitDone["ticket"] | undefined;
  let held: HeldTicket | undefined;

  const machine = ticketMachine.provide({
    actors: {
      openTicket: fromPromise(async ({ input, signal }): Promise<LeaseGrant> => {
        if (granted !== undefined) {
          const remainingMs = granted.deadline - clock.now();
          // A ticket kept across quick steps is never renewed by their heartbeats, and a claim's
          // lease may be shorter than this step's: start on at least what a heartbeat keeps (two
          // thirds of a lease), so that no step, nor its commit, runs on a lease's last moments.
          if (remainingMs >= (input.durationMs * 2) / 3) return { ...granted, remainingMs };
          const sentAt = clock.now();
          const ticket = await cache.renewTicket(granted.ticket, input.durationMs);
          // renewed after the step was cancelled: the close below takes the handed-in ticket
          if (signal.aborted) throw signal.reason;
          const deadline = sentAt + input.durationMs;
          return { ticket, deadline, remainingMs: deadline - clock.now() };
        }
        const sentAt = clock.now();
        const ticket =
          input.revision === null
            ? await cache.openNewTicket(input.key, input.durationMs)
            : await cache.openTicket(input.key, input.revision, input.durationMs);
        if (signal.aborted) {
          // granted after the step was cancelled: nobody will close it, so close it here
          await cache.closeTicket(ticket).catch(() => {});
          throw signal.reason;
        }
        const deadline = sentAt + input.durationMs;
        return { ticket, deadline, remainingMs: deadline - clock.now() };
      }),
      work: fromPromise(async ({ input }) => options.work(abort.signal, input.ticket)),
      renewLease: heartbeatActor({ cache, clock, timers, retries }),
      commit: fromPromise(async ({ input }) => {
        // the timer may run late; the local deadline is checked again right before writing
        if (clock.now() >= input.deadline) {
          const where = describeLocation(undefined, options.key);
          throw new ECacheTicket(`Lease on ${where} ended before the commit`, { key: options.key });
        }
        const done = await options.commit(input.ticket, input.result as R);
        if (typeof done === "number") return done;
        handedOff = done.ticket;
        if (done.ticket === "kept") held = { ticket: input.ticket, deadline: input.deadline };
        return done.revision;
      }),
      closeTicket: fromPromise(async ({ input }) => {
        // cancelled before the machine took a handed-in ticket: it is still ours to close
        const ticket = input.ticket ?? granted?.ticket;
        if (ticket !== undefined && handedOff === undefined) await cache.closeTicket(ticket);
      }),
    },
    actions: {
      abortWork: ({ context }) => abort.abort(abortReason(context)),
    },
  });

  const actor = createActor(machine, {
    input: { key: options.key, revision: options.revision, durationMs: options.durationMs },
    clock: timers,
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
  });
  const onEvent = options.onEvent;
  if (onEvent !== undefined) {
    actor.on("*", (event) => {
      try {
        onEvent(event);
      } catch {
        // an observer's bug must not change the step's outcome
      }
    });
  }
  const ended = new Promise<TicketOutcome>((resolve) => {
    actor.subscribe({
      complete: () => resolve(actor.getSnapshot().output ?? { kind: "failed", error: undefined }),
      error: (error) => resolve({ kind: "failed", error }),
    });
  });
  const cancel = (): void => actor.send({ type: "step.cancel", reason: options.signal?.reason });
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    actor.start();
    const outcome = await ended;
    return outcome.kind === "committed" && held !== undefined ? { ...outcome, held } : outcome;
  } finally {
    options.signal?.removeEventListener("abort", cancel);
    actor.stop();
  }
}
