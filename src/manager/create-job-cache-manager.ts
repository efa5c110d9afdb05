import { systemClock } from "../base/clock.js";
import { EInvalidArgument } from "../base/errors.js";
import { silentLogger } from "../base/logger.js";
import type { JobCacheManager, ManagerOptions, PluginConfig } from "../base/types.js";
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
  const plugin = findPlugin(checked.protocol);
  const store = await plugin.createStore(checked, { clock, logger });
  return new StoreJobCacheManager(store, clock);
}
