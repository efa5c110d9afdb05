import { hostname } from "node:os";
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
  const instanceId = validateInstanceId(options.instanceId);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const checked = normalisePluginConfig(config);
  const maxValueBytes = readMaxValueBytes(checked, options);
  const plugin = findPlugin(checked.protocol);
  const store = await plugin.createStore(checked, { clock, logger });
  return new StoreJobCacheManager(store, clock, { maxValueBytes, instanceId });
}

/** The longest instance id: the lease table's `holder` column is varchar(256). */
const MAX_INSTANCE_ID = 256;

/** `options.instanceId`, or host:pid; 1 to 256 characters, none of them a control character. */
function validateInstanceId(instanceId: unknown): string {
  if (instanceId === undefined) return `${hostname()}:${process.pid}`.slice(0, MAX_INSTANCE_ID);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
  const control = /[\u0000-\u001f\u007f]/;
  if (
    typeof instanceId !== "string" ||
    instanceId.length === 0 ||
    instanceId.length > MAX_INSTANCE_ID ||
    control.test(instanceId)
  ) {
    throw new EInvalidArgument(
      "instanceId",
      `instanceId must be a string of 1 to ${MAX_INSTANCE_ID} printable characters, e.g. "orchestrator-1"`,
    );
  }
  return instanceId;
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
