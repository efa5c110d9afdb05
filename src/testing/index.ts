/**
 * `jobcache/testing`: the conformance suite every job cache implementation must pass, for
 * plugin authors. Run it from a vitest test file with a target that makes fresh stores.
 * @example
 * ```ts
 * import { ManualClock, createJobCacheManager } from "jobcache";
 * import { describeJobCacheConformance } from "jobcache/testing";
 *
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
 * ```
 * @module
 */
export type { ConformanceContext, ConformanceTarget, NewManagerOptions } from "./conformance-target.js";
export { describeJobCacheConformance } from "./describe-conformance.js";
