/**
 * jobcache: exclusive, time-limited job tickets over one store, so several orchestrators can run
 * hot-hot without double execution. The names here are the public contract (CONTRACT.md).
 * @module
 */

export type { ValueCodec } from "./codec/value-codec.js";
export { createValueCodec, defaultCodec } from "./codec/value-codec.js";
export { loadPlatformConfig } from "./config/platform-config.js";
export { MAX_TICKET_DURATION_MS } from "./constants.js";
export {
  ECache,
  ECacheConfig,
  ECacheCorruption,
  ECacheDuplicate,
  ECacheNotFound,
  ECacheOperation,
  ECacheTicket,
  ECacheUnavailable,
  EInvalidArgument,
} from "./errors.js";
export type { Clock } from "./lease/lease-clock.js";
export { ManualClock, OffsetClock, systemClock } from "./lease/lease-clock.js";
export type { Logger } from "./logger.js";
export { createJobCacheManager } from "./manager/create-job-cache-manager.js";
export { registerJobCachePlugin } from "./manager/plugin-registry.js";
export type {
  GrantRequest,
  GrantResult,
  JobStore,
  KeyRef,
  LeaseInfo,
  LeaseRef,
  PutRequest,
  RenewRequest,
  StatusQuery,
  StoredEntry,
  WriteRequest,
} from "./store/store.js";
export type {
  CacheEntry,
  CacheTicket,
  JobCache,
  JobCacheManager,
  JobCachePlugin,
  ManagerOptions,
  PlatformConfig,
  PluginConfig,
  PluginContext,
  QueryStatusOptions,
} from "./types.js";
