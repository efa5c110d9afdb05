/**
 * jobcache: exclusive, time-limited job tickets over one store, so several orchestrators can run
 * hot-hot without double execution. The names here are the public contract (CONTRACT.md).
 * @module
 */

export type { Clock } from "./base/clock.js";
export { ManualClock, OffsetClock, systemClock } from "./base/clock.js";
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
} from "./base/errors.js";
export { type Logger, type PinoLike, pinoLogger } from "./base/logger.js";
export type {
  CacheEntry,
  CacheTicket,
  ClaimedEntry,
  ClaimStatusOptions,
  JobCache,
  JobCacheManager,
  ManagerOptions,
  PlatformConfig,
  PluginConfig,
  QueryStatusOptions,
  ValueCodec,
  WriteOptions,
} from "./base/types.js";
export { MAX_TICKET_DURATION_MS } from "./base/validate.js";
export { createValueCodec, defaultCodec } from "./codec/value-codec.js";
export { createJobCacheManager } from "./manager/create-job-cache-manager.js";
export { loadPlatformConfig } from "./manager/platform-config.js";
export { registerJobCachePlugin } from "./manager/plugin-registry.js";
export type {
  ClaimedLease,
  ClaimRequest,
  GrantRequest,
  GrantResult,
  JobCachePlugin,
  JobStore,
  KeyRef,
  LeaseInfo,
  LeaseRef,
  PluginContext,
  PutRequest,
  RenewRequest,
  StatusQuery,
  StoredEntry,
  WriteRequest,
} from "./store/store.js";
