import { createJobCacheManager, registerJobCachePlugin } from "../../src/index.js";
import { describeJobCacheConformance } from "../../src/testing/index.js";
import { createMemoPlugin } from "./support/memo-store.js";

// A plugin written only against the public API must pass the same suite as the built-in stores.
// Its managers share one space per test (two "processes"), and lease time is the space's own clock.
const memo = createMemoPlugin();
registerJobCachePlugin(memo.plugin);

describeJobCacheConformance({
  name: "MEMO-TEST (third-party plugin)",
  async setup() {
    const { id, space } = memo.openSpace();
    return {
      sharesAcrossManagers: true,
      newManager: (options) =>
        createJobCacheManager(
          { protocol: "MEMO-TEST", properties: { space: id } },
          { clock: space.clockFor(options?.clockOffsetMs ?? 0) },
        ),
      advanceTime: async (ms) => space.advance(ms),
      advanceStoreTime: async (ms) => space.advanceStoreOnly(ms),
      teardown: async () => memo.dropSpace(id),
    };
  },
});
