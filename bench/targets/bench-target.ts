/**
 * A store the benchmark can measure: a manager over a place of its own (a temp file, a schema,
 * a database), the baseline round trip of that store, and the clean-up that leaves the machine
 * as found.
 * @module
 */
import type { JobCacheManager } from "../../src/index.js";
import type { OperationCase } from "../operation-case.js";

/** Counts statements a store sends (Kysely's query log); LOCAL has none. */
export interface StatementCounter {
  reset(): void;
  read(): number;
}

/** A store opened for a run. */
export interface OpenTarget {
  readonly manager: JobCacheManager;
  /** Server or library version, e.g. "PostgreSQL 15.20". */
  readonly version: string;
  /** Settings that shape the numbers, read from the store where it can say. */
  readonly settings: string;
  /**
   * The trivial calls the ratios of this store are divided by: first one round trip (a Map
   * access for LOCAL); SQL stores add one durable commit.
   */
  readonly baselines: readonly OperationCase[];
  /** Calls per timed sample for the cache operations. */
  readonly batch: number;
  readonly statements: StatementCounter | undefined;
  /**
   * Untimed, after the caches are filled: refreshes the planner's statistics, as the server's
   * own background work (autovacuum, InnoDB's automatic statistics) would before long.
   */
  analyze?(): Promise<void>;
  /** Closes the manager and removes the file, schema or database. */
  close(): Promise<void>;
}

/** A store opened, or the reason it was not. */
export type TargetOutcome = { readonly open: OpenTarget } | { readonly skipped: string };
