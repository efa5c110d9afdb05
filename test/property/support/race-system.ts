/**
 * What a multi-process property runs against: several "processes", each a manager with its own
 * pool (or store handle) and its own local clock, on ONE shared store, plus the time controls a
 * test needs to make leases expire without sleeping.
 * @module
 */

import type { JobCache } from "../../../src/base/types.js";
import type { LeaseInfo } from "../../../src/store/store.js";
import type { Gate } from "./gated-store.js";

/** The cache name every multi-process run uses (rows are deleted between runs). */
export const RACE_CACHE = "race";

/** One run's view of the processes and the store. */
export interface RaceSystem {
  /** One cache per process, each from the process's own manager. */
  readonly caches: readonly JobCache<unknown>[];
  /** Every lease of {@link RACE_CACHE} as the store sees it now (its own clock). */
  listLeases(): Promise<LeaseInfo[]>;
  /**
   * Sets the time: the store's clock at `now` ms after the run began, and process `i`'s local
   * clock `lags[i]` ms behind it (a process that was paused while time went on).
   */
  setTime(now: number, lags: readonly number[]): Promise<void>;
}

/** A store under test for multi-process properties. */
export interface RaceTarget {
  /** Shown in test names: LOCAL, SQLITE, POSTGRESQL, MARIADB. */
  readonly name: string;
  readonly processes: number;
  /** An empty store for one run, at time 0, with every store call passing through `gate`. */
  startRun(gate: Gate): Promise<RaceSystem>;
  /** Closes managers and drops what the target created. */
  close(): Promise<void>;
}
