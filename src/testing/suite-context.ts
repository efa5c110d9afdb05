import type { JobCache, JobCacheManager } from "../index.js";
import type { ConformanceContext, NewManagerOptions } from "./conformance-target.js";

/** The value type most cases store. */
export interface JobValue {
  readonly step: number;
  readonly note?: string;
}

/** The cache name cases use unless they need several. */
export const CACHE_NAME = "jobs";

/** What a case sees: the target's context plus the managers the suite made for it. */
export interface SuiteContext {
  readonly sharesAcrossManagers: boolean;
  /** The test's first manager, made on first use. */
  manager(): Promise<JobCacheManager>;
  /** Another manager: on the same store when {@link sharesAcrossManagers}. Closed after the test. */
  newManager(options?: NewManagerOptions): Promise<JobCacheManager>;
  /** `getCache(name)` on the first manager. */
  cache<T = JobValue>(name?: string): Promise<JobCache<T>>;
  advanceTime(ms: number): Promise<void>;
  /** The target's store-only time move, when it has one (see {@link ConformanceContext.advanceStoreTime}). */
  readonly advanceStoreTime: ((ms: number) => Promise<void>) | undefined;
}

/** Returns the context of the test that is running. */
export type ContextGetter = () => SuiteContext;

/** A suite context that can also clean up after its test. */
export interface DisposableSuiteContext extends SuiteContext {
  /** Closes every manager made for the test (newest first), then tears the store down. */
  dispose(): Promise<void>;
}

/** Wraps a target's context so the suite knows which managers to close. */
export function createSuiteContext(target: ConformanceContext): DisposableSuiteContext {
  const managers: JobCacheManager[] = [];
  let first: Promise<JobCacheManager> | undefined;

  const newManager = async (options?: NewManagerOptions): Promise<JobCacheManager> => {
    const manager = await target.newManager(options);
    managers.push(manager);
    return manager;
  };
  const manager = (): Promise<JobCacheManager> => {
    first ??= newManager();
    return first;
  };

  return {
    sharesAcrossManagers: target.sharesAcrossManagers,
    manager,
    newManager,
    cache: async <T = JobValue>(name = CACHE_NAME) => (await manager()).getCache<T>(name),
    advanceTime: (ms) => target.advanceTime(ms),
    advanceStoreTime:
      target.advanceStoreTime === undefined ? undefined : (ms) => target.advanceStoreTime!(ms),
    async dispose() {
      const failures: unknown[] = [];
      for (const made of managers.reverse()) {
        // A case may already have closed it: closing again must be harmless, so it is tested too.
        await made.close().catch((error: unknown) => failures.push(error));
      }
      await target.teardown().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw failures[0];
    },
  };
}
