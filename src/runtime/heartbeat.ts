/**
 * One heartbeat: renew the ticket, retried within the lease (`renew-policy.ts`). The ticket
 * machine decides *when* (its `renewInterval` and `leaseDeadline` delays, on the actor's clock);
 * this decides *how*. A renewal that finally fails rejects, which the machine receives as
 * `xstate.error.actor.renew` and turns into `expired` plus a `ticket:lost` event, never a throw.
 * @module
 */
import pRetry from "p-retry";
import { fromPromise } from "xstate";
import type { Clock } from "../base/clock.js";
import type { Timers } from "../base/timers.js";
import type { CacheTicket, JobCache } from "../base/types.js";
import type { LeaseGrant } from "../machines/ticket-events.js";
import { renewRetryOptions } from "./renew-policy.js";

/** What a heartbeat needs: the cache to renew through, time, and how often to retry. */
export interface HeartbeatDeps {
  readonly cache: Pick<JobCache<unknown>, "renewTicket">;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly retries: number;
}

/** The renewal the machine asks for: the ticket as last renewed, and its deadline. */
export interface RenewRequest {
  readonly ticket: CacheTicket;
  readonly durationMs: number;
  readonly deadline: number;
}

/**
 * Renews `request.ticket` for another `durationMs`. The new deadline counts from when the request
 * was sent, as the cache counts it, so the local view never outlives the store's.
 */
function renewLease(deps: HeartbeatDeps, request: RenewRequest, signal?: AbortSignal): Promise<LeaseGrant> {
  const attempt = async (): Promise<LeaseGrant> => {
    const sentAt = deps.clock.now();
    const ticket = await deps.cache.renewTicket(request.ticket, request.durationMs);
    const deadline = sentAt + request.durationMs;
    return { ticket, deadline, remainingMs: deadline - deps.clock.now() };
  };
  return pRetry(
    attempt,
    renewRetryOptions({
      retries: deps.retries,
      durationMs: request.durationMs,
      deadline: request.deadline,
      clock: deps.clock,
      timers: deps.timers,
      signal,
    }),
  );
}

/** The `renewLease` actor for `ticketMachine.provide`: stopped with the heartbeat, it stops retrying. */
export function heartbeatActor(deps: HeartbeatDeps) {
  return fromPromise<LeaseGrant, RenewRequest>(({ input, signal }) => renewLease(deps, input, signal));
}
