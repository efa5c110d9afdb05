import { checkKnownProperties, propertyStrings } from "../../base/properties.js";
import type { PluginConfig } from "../../base/types.js";
import type { JobCachePlugin } from "../store.js";
import { LocalStore } from "./local-store.js";

/** LOCAL reads only the generic value size limit (read by the JobCache layer). */
const PROPERTIES = ["maxValueBytes"];

function check(config: PluginConfig): void {
  checkKnownProperties(propertyStrings(config.properties), PROPERTIES, "protocol LOCAL");
  checkKnownProperties(config.secrets, PROPERTIES, "protocol LOCAL", "secrets");
}

/** The in-process LOCAL protocol: one process only, for tests, demos and single-node setups. */
export const localPlugin: JobCachePlugin = {
  protocols: ["LOCAL"],
  createStore: async (config, context) => {
    check(config);
    return new LocalStore(context.clock);
  },
  checkConfig: async (config) => {
    check(config);
    return { target: "this process's memory" };
  },
};
