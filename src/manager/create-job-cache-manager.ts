import { systemClock } from "../base/clock.js";
import { EInvalidArgument } from "../base/errors.js";
import { silentLogger } from "../base/logger.js";
import { optionalInt } from "../base/properties.js";
import type { JobCacheManager, ManagerOptions, PluginConfig } from "../base/types.js";
import { DEFAULT_MAX_VALUE_BYTES } from "../base/validate.js";
import { StoreJobCacheManager } from "./job-cache-manager.js";
import { findPlugin, normalisePluginConfig } from "./plugin-registry.js";

/**
 * Creates a job cache manager for the protocol in `config`: `LOCAL` (in-process), `JDBC` / `SQL`
 * (SQLite, PostgreSQL, MySQL, MariaDB) or a registered plugin's. Fails at once, with what to set,
 * for an unknown protocol or dialect, a missing property or an undeployed schema.
 * @example
 * await using manager = await createJobCacheManager({ protocol: "LOCAL" });
 * const jobs = manager.getCache<{ step: number }>("jobs");
 * await using ticket = await jobs.openNewTicket("job-1", 30_000);
 * await jobs.createEntry(ticket, "QUEUED", { step: 0 });
 */
export async function createJobCacheManager(
  config: PluginConfig,
  options: ManagerOptions = {},
): Promise<JobCacheManager> {
  if (config === null || typeof config !== "object") {
    throw new EInvalidArgument(
      "config",
      'createJobCacheManager needs a config object like { protocol: "LOCAL" }',
    );
  }
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const checked = normalisePluginConfig(config);
  const maxValueBytes = readMaxValueBytes(checked, options);
  const plugin = findPlugin(checked.protocol);
  const store = await plugin.createStore(checked, { clock, logger });
  return new StoreJobCacheManager(store, clock, maxValueBytes);
}

/** The value size limit: ManagerOptions, else the `maxValueBytes` property, else 16 MiB. */
function readMaxValueBytes(config: PluginConfig, options: ManagerOptions): number {
  const range = { min: 1, max: MAX_VALUE_BYTES_LIMIT };
  const fromOptions = options.maxValueBytes;
  if (fromOptions === undefined) {
    return optionalInt(config.properties, "maxValueBytes", { ...range, default: DEFAULT_MAX_VALUE_BYTES });
  }
  if (!Number.isSafeInteger(fromOptions) || fromOptions < range.min || fromOptions > range.max) {
    throw new EInvalidArgument(
      "maxValueBytes",
      `maxValueBytes must be a whole number from ${range.min} to ${range.max}, got ${String(fromOptions)}`,
    );
  }
  return fromOptions;
}

/** SQLite's longest string or blob (SQLITE_MAX_LENGTH), below PostgreSQL's 1 GB text limit. */
const MAX_VALUE_BYTES_LIMIT = 1_000_000_000;
