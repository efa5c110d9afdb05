/**
 * Opens a checked SQL configuration: the Kysely instance, the dialect adapter and what messages
 * may say about the database. Everything that talks to the database starts here.
 * @module
 */
import type { Kysely } from "kysely";
import type { Logger } from "../../base/logger.js";
import type { SqlStoreConfig } from "./config/sql-config.js";
import type { DialectAdapter } from "./dialects/dialect-adapter.js";
import type { ConnectHooks } from "./dialects/sql-dialect.js";
import type { RetryScope } from "./retry/retry-policy.js";
import type { FailureScope } from "./retry/to-cache-error.js";
import type { JobcacheSchema } from "./schema.js";

/** Test and tooling hooks that a platform config cannot express. */
export interface SqlInternals {
  /** Kysely's query log: sees every statement, including BEGIN and COMMIT. */
  readonly log?: ConnectHooks["log"];
  /** Replaces the dialect's adapter, e.g. to run the portable strategies with `withCapabilities`. */
  readonly adapter?: (adapter: DialectAdapter) => DialectAdapter;
}

/** An open database of one SQL store. */
export interface SqlConnection {
  readonly db: Kysely<JobcacheSchema>;
  readonly adapter: DialectAdapter;
  readonly config: SqlStoreConfig;
  readonly logger: Logger;
  /** Retry settings for {@link withRetry}. */
  readonly retry: RetryScope;
  /** For {@link toCacheError}, minus the operation. */
  failure(operation: string, where?: { cacheName?: string; key?: string }): FailureScope;
  /** Closes the pool or file; idempotent. */
  close(): Promise<void>;
}

/** Connects (lazily: the first query opens the first connection). */
export async function openConnection(
  config: SqlStoreConfig,
  logger: Logger,
  internals: SqlInternals = {},
): Promise<SqlConnection> {
  const { settings } = config;
  const adapter = internals.adapter?.(settings.adapter) ?? settings.adapter;
  const db = await settings.connect({ logger, log: internals.log });
  let closing: Promise<void> | undefined;
  return {
    db,
    adapter,
    config,
    logger,
    retry: { adapter, policy: config.retry, logger },
    failure: (operation, where = {}) => ({
      adapter,
      target: settings.target,
      operation,
      cacheName: where.cacheName,
      key: where.key,
    }),
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}
