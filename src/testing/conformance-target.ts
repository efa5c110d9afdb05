import type { JobCacheManager } from "../index.js";

/** Options for a manager made by {@link ConformanceContext.newManager}. */
export interface NewManagerOptions {
  /**
   * How far this manager's local clock runs ahead of (positive) or behind (negative) the store's
   * clock. Targets whose managers share the store's clock may ignore it. @defaultValue 0
   */
  clockOffsetMs?: number;
}

/** One test's isolated store, as a target provides it. */
export interface ConformanceContext {
  /**
   * A manager on this test's isolated store. Calling it again gives ANOTHER manager on the SAME
   * store (like a second process) when {@link sharesAcrossManagers} is true; otherwise each
   * manager is its own store (as LOCAL is).
   */
  newManager(options?: NewManagerOptions): Promise<JobCacheManager>;
  /** Whether two managers of one context see the same entries and tickets. */
  readonly sharesAcrossManagers: boolean;
  /** Moves lease time forward by `ms` for this store and every manager's local clock, without sleeping. */
  advanceTime(ms: number): Promise<void>;
  /**
   * Optional: moves only the store's lease time forward by `ms`, leaving every manager's local
   * clock where it is, as when a holder's process pauses (GC, suspended VM) past its expiry. It
   * makes the fencing rule observable: the store must refuse what the holder's clock allows.
   * Targets whose managers read the store's own clock (LOCAL) leave it out; the fencing cases
   * then move every clock with {@link advanceTime}.
   */
  advanceStoreTime?(ms: number): Promise<void>;
  /** Cleans up the store. The suite closes the managers it made before calling this. */
  teardown(): Promise<void>;
}

/**
 * A job cache implementation under test.
 * @example
 * describeJobCacheConformance({
 *   name: "LOCAL",
 *   async setup() {
 *     const clock = new ManualClock();
 *     return {
 *       sharesAcrossManagers: false,
 *       newManager: () => createJobCacheManager({ protocol: "LOCAL" }, { clock }),
 *       advanceTime: async (ms) => clock.advance(ms),
 *       teardown: async () => {},
 *     };
 *   },
 * });
 */
export interface ConformanceTarget {
  /** Shown in the test names, e.g. `"LOCAL"`, `"SQLITE"`. */
  readonly name: string;
  /** A fresh, empty, isolated store for one test. */
  setup(): Promise<ConformanceContext>;
}
