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
  /** The instance id of the process asking (`ManagerOptions.instanceId`), recorded on the lease. */
  readonly holder?: string;
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
  /**
   * Release the lease in the same atomic step as the write (one commit). A refused write
   * releases nothing. @defaultValue false
   */
  readonly close?: boolean;
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

/** A claim asks for leases on the oldest entries of some statuses that no live lease holds. */
export interface ClaimRequest {
  readonly cacheName: string;
  /** Non-empty, validated statuses. */
  readonly statuses: readonly string[];
  readonly durationMs: number;
  /** 1..1000: at most this many leases. */
  readonly limit: number;
  /**
   * One fresh ticket id per possible lease (`limit` of them), chosen by the caller: the n-th
   * claimed entry (creation order) is held under `ticketIds[n]`.
   */
  readonly ticketIds: readonly string[];
  /** The instance id recorded on every claimed lease. */
  readonly holder?: string;
}

/** One lease a claim granted, with the entry at the revision it was granted for. */
export interface ClaimedLease {
  readonly entry: StoredEntry;
  readonly ticketId: string;
  readonly grantTime: Date;
  readonly expiry: Date;
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
  /*
   * Holder identity (optional, so plugins written before it still type-check; LOCAL and SQL
   * always fill them in).
   */
  /** The instance id of the holder (host:pid by default); undefined for leases from before it was recorded. */
  readonly holder?: string | undefined;
  /** Renewals since the grant. */
  readonly renewals?: number;
  /** Milliseconds from the grant to now (live) or to the end of the lease, by the store's clock. */
  readonly heldForMs?: number;
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
  /**
   * Poll and grant in one atomic step: leases on up to `limit` of the oldest entries (creation
   * order) whose status is listed and whose key no live lease holds. Each lease is exactly what
   * `grant` with the entry's revision would have given. Racing claimers never get the same key
   * and never wait on each other's rows. Optional for plugins: without it the JobCache falls
   * back to `queryStatus` and one `grant` per entry (correct, more round trips, and racing
   * claimers then collide on the oldest entries).
   */
  claim?(request: ClaimRequest): Promise<ClaimedLease[]>;
  /** Releases a lease if `ticketId` holds it; otherwise does nothing. */
  release(lease: LeaseRef): Promise<void>;

  /**
   * True when create/update/delete honour `close` (write and release in one commit). Without it
   * the JobCache releases after the write, in a second step.
   */
  readonly writeCloses?: boolean;

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
  /**
   * Ends the live lease of `ref` at once (operator control): the holder's next renewal, write
   * or read fails with `ECacheTicket`, and the key can be granted again. Returns whether a live
   * lease was ended. Optional for plugins.
   */
  revoke?(ref: KeyRef): Promise<boolean>;
  /**
   * Removes lease rows that ended (released or expired) more than `olderThanMs` ago, in one
   * cache or all; returns how many. Live leases are never touched. Optional for plugins.
   */
  prune?(olderThanMs: number, cacheName?: string): Promise<number>;

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
