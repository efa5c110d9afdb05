/**
 * When the SQL store runs an operation again: serialization failures, deadlocks, lock timeouts,
 * SQLite busy and lost connections. Every operation is safe to run again, including after a
 * lost COMMIT, because grants are keyed by ticket id and writes by request id.
 * @module
 */
import pRetry from "p-retry";
import { ECache } from "../../../base/errors.js";
import type { Logger } from "../../../base/logger.js";
import type { DialectAdapter } from "../dialects/dialect-adapter.js";
import { RetryableConflict } from "./retryable-conflict.js";

/** Backoff of one store (properties `retry.attempts`, `retry.minDelayMs`, `retry.maxDelayMs`). */
export interface RetryPolicy {
  /** Runs after the first attempt. @defaultValue 5 (6 attempts) */
  readonly retries: number;
  /** @defaultValue 20 */
  readonly minDelayMs: number;
  /** @defaultValue 1000 */
  readonly maxDelayMs: number;
}

/** What a retry needs to know about where it runs. */
export interface RetryScope {
  readonly adapter: DialectAdapter;
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  /** Aborted when the store closes: no attempt or backoff starts after that. */
  readonly signal?: AbortSignal;
}

/** Whether running the operation again may succeed. */
function isRetryable(adapter: DialectAdapter, error: unknown): boolean {
  if (error instanceof ECache) return false;
  if (error instanceof RetryableConflict) return true;
  const kind = adapter.classifyError(error);
  return kind === "conflict" || kind === "connection";
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or runs out of retries;
 * then rethrows the last error as is (the caller maps it).
 */
export async function withRetry<T>(scope: RetryScope, name: string, operation: () => Promise<T>): Promise<T> {
  const { adapter, policy, logger, signal } = scope;
  return pRetry(operation, {
    signal,
    retries: policy.retries,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    factor: 2,
    // Racing processes that collided should not collide again on the same schedule.
    randomize: true,
    shouldRetry: ({ error }) => isRetryable(adapter, error),
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      if (!isRetryable(adapter, error) || retriesLeft === 0) return;
      logger.debug("jobcache: retrying SQL operation", {
        operation: name,
        attempt: attemptNumber,
        kind: error instanceof RetryableConflict ? "conflict" : adapter.classifyError(error),
      });
    },
  });
}
