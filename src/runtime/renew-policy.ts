/**
 * How a heartbeat retries a failed renewal: a few attempts with a short backoff on the injected
 * timers, never one that would start at or after the lease's deadline, and never after the store
 * said the lease is gone (`ECacheTicket`: retrying cannot bring it back).
 * @module
 */
import type { Options as RetryOptions } from "p-retry";
import type { Clock } from "../base/clock.js";
import { ECacheTicket, EInvalidArgument } from "../base/errors.js";
import { sleep, type Timers } from "../base/timers.js";

/**
 * Renewal retries after the first attempt. Renewals start with two thirds of the lease left, so
 * two short retries fit easily; more would mostly delay noticing a store that is down.
 */
export const DEFAULT_RENEW_RETRIES = 2;

/** First backoff; doubled on each retry. 100 ms rides out a dropped connection or a failover. */
const FIRST_BACKOFF_MS = 100;

/** No single backoff is longer than a tenth of the lease, whatever the attempt. */
const MAX_BACKOFF_SHARE = 0.1;

/** The backoff before retry `attempt` (1 = after the first failure) for a lease of `durationMs`. */
export function renewBackoffMs(attempt: number, durationMs: number): number {
  return Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), durationMs * MAX_BACKOFF_SHARE);
}

/** Checks a `renewRetries` option before anything starts. */
export function validateRenewRetries(retries: unknown): number {
  if (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw new EInvalidArgument(
      "renewRetries",
      `renewRetries must be an integer from 0 to 10, got ${String(retries)}`,
    );
  }
  return retries;
}

/** What one renewal's retry policy needs to know. */
export interface RenewRetryContext {
  readonly retries: number;
  readonly durationMs: number;
  /** Local-clock deadline of the lease being renewed: no attempt starts at or after it. */
  readonly deadline: number;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Aborted when the heartbeat is stopped (deadline passed, work done): ends the retries. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * p-retry options for one renewal. p-retry's own delays run on real timers, so they are switched
 * off (`minTimeout: 0`) and the backoff is slept inside `shouldRetry` on the injected timers,
 * after deciding a retry is worth it (p-retry calls `onFailedAttempt` before that decision).
 */
export function renewRetryOptions(context: RenewRetryContext): RetryOptions {
  return {
    retries: context.retries,
    minTimeout: 0,
    maxTimeout: 0,
    signal: context.signal,
    shouldRetry: async ({ error, attemptNumber }) => {
      if (error instanceof ECacheTicket) return false;
      const backoff = renewBackoffMs(attemptNumber, context.durationMs);
      if (context.clock.now() + backoff >= context.deadline) return false;
      await sleep(backoff, context.timers, context.signal);
      return context.clock.now() < context.deadline;
    },
  };
}
