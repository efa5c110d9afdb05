import { createJobCacheManager, ManualClock } from "../../src/index.js";
import { describeJobCacheConformance } from "../../src/testing/index.js";

// LOCAL is one process only: each manager is its own store, so clockOffsetMs has nothing to skew.
describeJobCacheConformance({
  name: "LOCAL",
  async setup() {
    const clock = new ManualClock();
    return {
      sharesAcrossManagers: false,
      newManager: () => createJobCacheManager({ protocol: "LOCAL" }, { clock }),
      advanceTime: async (ms) => clock.advance(ms),
      teardown: async () => {},
    };
  },
});
