import type { JobCachePlugin } from "../store.js";
import { LocalStore } from "./local-store.js";

/** The in-process LOCAL protocol: one process only, for tests, demos and single-node setups. */
export const localPlugin: JobCachePlugin = {
  protocols: ["LOCAL"],
  createStore: async (_config, context) => new LocalStore(context.clock),
};
