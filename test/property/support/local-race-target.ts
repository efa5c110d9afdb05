/**
 * The LOCAL store as a {@link RaceTarget}: per run, a fresh store on a ManualClock, shared by
 * one manager per process through the LOCAL_SHARED_TEST plugin; each process's clock is an
 * OffsetClock over the store's clock, so a paused process can lag behind it.
 * @module
 */

import type { Clock } from "../../../src/base/clock.js";
import { ManualClock, OffsetClock } from "../../../src/base/clock.js";
import type { JobCacheManager } from "../../../src/base/types.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import { LocalStore } from "../../../src/store/local/local-store.js";
import type { JobStore } from "../../../src/store/store.js";
import type { Gate } from "./gated-store.js";
import { RACE_CACHE, type RaceSystem, type RaceTarget } from "./race-system.js";
import { dropSharedSpace, openSharedSpace, processConfig, type SharedSpace } from "./shared-local-plugin.js";

/** Builds the store under test on the store clock; a mutant store for the mutation tests. */
export type LocalStoreFactory = (clock: Clock) => JobStore;

/** The real LOCAL store. */
export const localStoreFactory: LocalStoreFactory = (clock) => new LocalStore(clock);

/** LOCAL (or a store built by `makeStore`) shared by `processes` managers. */
export function localRaceTarget(
  processes: number,
  makeStore: LocalStoreFactory = localStoreFactory,
  name = "LOCAL",
): RaceTarget {
  let previous: { space: SharedSpace; managers: JobCacheManager[] } | undefined;

  async function endPrevious(): Promise<void> {
    if (previous === undefined) return;
    await Promise.all(previous.managers.map((manager) => manager.close()));
    await dropSharedSpace(previous.space);
    previous = undefined;
  }

  return {
    name,
    processes,
    async startRun(gate: Gate): Promise<RaceSystem> {
      await endPrevious();
      const storeClock = new ManualClock();
      const start = storeClock.now();
      const space = openSharedSpace(storeClock, makeStore);
      space.gate = gate;
      const clocks = Array.from({ length: processes }, () => new OffsetClock(0, storeClock));
      const managers = await Promise.all(
        clocks.map((clock, i) => createJobCacheManager(processConfig(space, `p${i}`), { clock })),
      );
      previous = { space, managers };
      return {
        caches: managers.map((manager) => manager.getCache<unknown>(RACE_CACHE)),
        listLeases: async () => (await space.store.listLeases?.(RACE_CACHE)) ?? [],
        async setTime(now, lags) {
          storeClock.advance(start + now - storeClock.now());
          clocks.forEach((clock, i) => {
            clock.offsetMs = -(lags[i] ?? 0);
          });
        },
      };
    },
    close: endPrevious,
  };
}
