/**
 * The store interface the JobCache calls: what LOCAL, SQL and third-party plugins implement.
 * Arguments arrive validated and values arrive encoded (strings); the store knows nothing of
 * codecs, tickets objects or XState. Every method is one atomic step of the store, so exclusivity
 * and fencing are decided inside it, by the store's own clock.
 * @module
 */
import type { Clock } from "../base/clock.js";
import type { Logger } from "../base/logger.js";
import type { PluginConfig } from "../base/types.js";

/** Identifies one key of one cache. */
export interface KeyRef {
  readonly cacheName: string;
  readonly key: string;
}

/** A grant asks for a lease on a key. */
export interface GrantRequest extends KeyRef {
  /** `null` for openNewTicket (the entry must not exist); else the entry must be at this revision. */
  readonly revision: number | null;
  readonly durationMs: number;
  /**
   * The id the lease is held under, chosen by the caller (random, unique). A retried grant with
   * the same id must return the original outcome, not "superseded by itself".
   */
  readonly ticketId: string;
}

/** What a grant decided, with the store's own times. */
export type GrantResult =
  | { readonly outcome: "granted"; readonly grantTime: Date; readonly expiry: Date }
  | { readonly outcome: "superseded" | "missing"; readonly grantTime: Date; readonly expiry: Date };

/** Names a held lease. */
export interface LeaseRef extends KeyRef {
  readonly ticketId: string;
}

/** Renewal of a held lease. */
export interface RenewRequest extends LeaseRef {
  readonly durationMs: number;
}

/** A fenced write under a held lease. */
export interface WriteRequest extends LeaseRef {
  /** The entry revision the holder last saw (0: it expects no entry). */
  readonly expectedRevision: number;
  /** Unique per call: a retried write with the same id returns the original result. */
  readonly requestId: string;
}

/** A create or update. */
export interface PutRequest extends WriteRequest {
  readonly status: string;
  readonly value: string;
}

/** One entry as the store holds it; the value is still encoded. */
export interface StoredEntry {
  readonly key: string;
  readonly revision: number;
  readonly status: string;
  readonly value: string;
}

/** A lease as the store records it, for `jobcache inspect` and audits. */
export interface LeaseInfo extends KeyRef {
  readonly ticketId: string;
  readonly revision: number;
  readonly state: "granted" | "committed" | "released" | "expired";
  readonly grantTime: Date;
  readonly heartbeatTime: Date;
  readonly expiry: Date;
  /** Milliseconds until expiry by the store's clock (negative once expired). */
  readonly expiresInMs: number;
}

/** How many entries of one cache have one status, for `jobcache inspect`. */
export interface EntryCount {
  readonly cacheName: string;
  readonly status: string;
  readonly count: number;
}

/** Options of a status query, already validated. */
export interface StatusQuery {
  readonly includeOpenTickets: boolean;
  readonly limit: number | undefined;
}

/**
 * A job cache store. Errors: `ECacheTicket` when the lease is not held live by `ticketId`,
 * `ECacheDuplicate` / `ECacheNotFound` for entry state, `ECacheUnavailable` when unreachable.
 */
export interface JobStore {
  grant(request: GrantRequest): Promise<GrantResult>;
  /** Extends a live lease to store-now + duration; throws `ECacheTicket` if not live. */
  renew(request: RenewRequest): Promise<{ readonly expiry: Date }>;
  /** Releases a lease if `ticketId` holds it; otherwise does nothing. */
  release(lease: LeaseRef): Promise<void>;

  /** Creates the entry at revision 1; `expectedRevision` is 0. */
  create(request: PutRequest): Promise<number>;
  /** Updates the entry at `expectedRevision`; returns `expectedRevision + 1`. */
  update(request: PutRequest): Promise<number>;
  delete(request: WriteRequest): Promise<void>;
  /** Reads under a live lease; `undefined` if there is no entry. */
  read(lease: LeaseRef): Promise<StoredEntry | undefined>;

  queryKey(ref: KeyRef): Promise<StoredEntry | undefined>;
  queryStatus(cacheName: string, statuses: readonly string[], query: StatusQuery): Promise<StoredEntry[]>;

  /** Leases of a cache (all caches when omitted), for inspection. Optional for plugins. */
  listLeases?(cacheName?: string): Promise<LeaseInfo[]>;
  /** Entry counts by cache and status (all caches when omitted), for inspection. Optional. */
  countEntries?(cacheName?: string): Promise<EntryCount[]>;

  close(): Promise<void>;
}

/** What a plugin receives when the manager creates its store. */
export interface PluginContext {
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A third-party protocol: creates the {@link JobStore} that a manager wraps. */
export interface JobCachePlugin {
  /** Protocol names this plugin serves, matched case-insensitively (e.g. `["REDIS"]`). */
  readonly protocols: readonly string[];
  /** Builds the store; fail here with a clear error for a missing or wrong property. */
  createStore(config: PluginConfig, context: PluginContext): Promise<JobStore>;
  /**
   * Checks a config as `createStore` would, without connecting (`jobcache config check`).
   * Optional: without it only the protocol is checked.
   */
  checkConfig?(config: PluginConfig): Promise<CheckedPluginConfig>;
}

/** What {@link JobCachePlugin.checkConfig} found. */
export interface CheckedPluginConfig {
  /** Where the store would be, without secrets, e.g. `postgresql://app@db:5432/jobs`. */
  readonly target?: string;
  /** Properties as they may be printed (a URL with its password hidden by the parser that connects). */
  readonly printable?: Readonly<Record<string, string>>;
}
