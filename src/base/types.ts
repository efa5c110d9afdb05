/**
 * The public interfaces of CONTRACT.md. Implementations live in `manager/` (the JobCache over any
 * store) and `store/` (LOCAL and SQL); plugins implement {@link JobStore} from `store/store.ts`.
 * @module
 */

import type { Clock } from "./clock.js";
import type { ECacheCorruption } from "./errors.js";
import type { Logger } from "./logger.js";

/**
 * Turns entry values into stored text and back. Pass one to `getCache(name, { codec })`; a
 * custom codec must round-trip every value it accepts and keep reading what it wrote before.
 *
 * @example
 * ```ts
 * const codec: ValueCodec<{ step: number }> = createValueCodec({ schema: z.object({ step: z.number() }) });
 * const cache = manager.getCache("jobs", { codec });
 * ```
 */
export interface ValueCodec<T> {
  /**
   * The text to store for `value`.
   * @throws EInvalidArgument (argument `value`) when the value cannot be stored faithfully
   */
  encode(value: T): string;
  /**
   * The value stored as `text`; a Promise when an asynchronous schema checks it.
   * @throws ECacheCorruption (or rejects with it) when the text cannot be decoded or the value
   *   fails the schema
   */
  decode(text: string): T | Promise<T>;
}

/** The `jobCache:` section of a platform config: which plugin, and its settings. */
export interface PluginConfig {
  /** `LOCAL`, `JDBC` / `SQL`, or a registered third-party protocol (case-insensitive). */
  protocol: string;
  /** Plugin settings, e.g. `dialect`, `jdbcUrl`, `pool.size`. */
  properties?: Record<string, string>;
  /** Secret settings (passwords), already resolved to their values. Never logged. */
  secrets?: Record<string, string>;
}

/** A TRAC-style platform config file: the `jobCache:` section, other sections kept as parsed. */
export interface PlatformConfig {
  jobCache: PluginConfig;
  [section: string]: unknown;
}

/** Options for {@link createJobCacheManager} beyond the plugin config. */
export interface ManagerOptions {
  /**
   * The local clock, used for the client-side "has my ticket expired?" check. The SQL store's
   * lease times always come from the database clock, whatever this says.
   * @defaultValue the system clock
   */
  clock?: Clock;
  /** Where the cache reports what it does (connection, retries, migrations). @defaultValue silent */
  logger?: Logger;
  /**
   * The largest encoded value a write may carry, in UTF-8 bytes; a larger one is
   * `EInvalidArgument` before anything is sent. Overrides the `maxValueBytes` property.
   * @defaultValue the `maxValueBytes` property, else 16 MiB (16777216)
   */
  maxValueBytes?: number;
  /**
   * This process's name on every lease it takes (grants and claims), shown by `jobcache inspect`
   * as the holder: 1 to 256 printable characters.
   * @defaultValue `${os.hostname()}:${process.pid}`
   * @example
   * ```ts
   * await createJobCacheManager(config, { instanceId: `orchestrator-${process.env.POD_NAME}` });
   * ```
   */
  instanceId?: string;
}

/** Owns the connection (pool) to one store and hands out caches by name. */
export interface JobCacheManager extends AsyncDisposable {
  /**
   * The cache called `cacheName`. The same name gives the same cache within a manager; two
   * managers on one database share entries and tickets for the same name.
   * @param options.codec how values are encoded; @defaultValue the default codec
   */
  getCache<T>(cacheName: string, options?: { codec?: ValueCodec<T> }): JobCache<T>;
  /** Closes the store's connections. Idempotent. */
  close(): Promise<void>;
}

/** Options for {@link JobCache.queryStatus}. */
export interface QueryStatusOptions {
  /** Include entries whose key has a live ticket in this cache. @defaultValue false */
  includeOpenTickets?: boolean;
  /** Return at most this many entries. @defaultValue no limit */
  limit?: number;
}

/** Options for {@link JobCache.claimStatus}. */
export interface ClaimStatusOptions {
  /** Claim at most this many entries, 1 to 1000 (0 claims nothing). @defaultValue 1 */
  limit?: number;
}

/** Options of a write (createEntry, updateEntry, deleteEntry). */
export interface WriteOptions {
  /**
   * Close the ticket in the same commit as the write (one atomic step of the store). A refused
   * write throws as without it and leaves the ticket live. @defaultValue false
   */
  close?: boolean;
}

/** One entry that {@link JobCache.claimStatus} claimed, with the live ticket that holds it. */
export interface ClaimedEntry<T> {
  /** Exactly what `openTicket(entry.key, entry.revision, durationMs)` would have granted. */
  readonly ticket: CacheTicket;
  /** The entry at the revision the ticket was granted for. */
  readonly entry: CacheEntry<T>;
}

/** One named cache of job entries, guarded by tickets. */
export interface JobCache<T> {
  /** A ticket to create the entry `key`: granted only if no entry and no live ticket exist. */
  openNewTicket(key: string, durationMs: number): Promise<CacheTicket>;
  /** A ticket on the entry `key` at exactly `revision`: granted only if no live ticket exists. */
  openTicket(key: string, revision: number, durationMs: number): Promise<CacheTicket>;
  /** Extends a live ticket to now + `durationMs`; use the returned ticket from then on. */
  renewTicket(ticket: CacheTicket, durationMs: number): Promise<CacheTicket>;
  /** Releases the key at once. Never throws for closed, expired or unknown tickets. */
  closeTicket(ticket: CacheTicket): Promise<void>;

  /**
   * Creates the entry under a new ticket; returns revision 1. With `{ close: true }` the ticket
   * is closed in the same commit.
   */
  createEntry(ticket: CacheTicket, status: string, value: T, options?: WriteOptions): Promise<number>;
  /**
   * Replaces status and value; returns the new revision (the fencing token). With
   * `{ close: true }` the ticket is closed in the same commit (the last write of a job step).
   *
   * @example
   * ```ts
   * const [claimed] = await cache.claimStatus(["QUEUED"], 30_000);
   * if (claimed) await cache.updateEntry(claimed.ticket, "DONE", result, { close: true });
   * ```
   */
  updateEntry(ticket: CacheTicket, status: string, value: T, options?: WriteOptions): Promise<number>;
  /** Removes the entry: the key is unknown to the cache afterwards. `close` as for updateEntry. */
  deleteEntry(ticket: CacheTicket, options?: WriteOptions): Promise<void>;
  /** Reads the entry under a live ticket. */
  readEntry(ticket: CacheTicket): Promise<CacheEntry<T>>;

  /** The entry, or `undefined`. Never blocked by tickets. */
  queryKey(key: string): Promise<CacheEntry<T> | undefined>;
  /** Entries whose status is in `statuses`, oldest created first. */
  queryStatus(statuses: readonly string[], options?: QueryStatusOptions): Promise<CacheEntry<T>[]>;

  /**
   * Poll and grant in one atomic step (beyond TRAC: the orchestrator's hot path): tickets on up
   * to `limit` (default 1) of the oldest entries whose status is in `statuses` and whose key no
   * live ticket holds; expired tickets count as free. Racing claimers, also in other processes,
   * never get the same key and never wait on each other's rows. Each ticket is exactly what
   * `openTicket(entry.key, entry.revision, durationMs)` would have granted; an entry whose value
   * cannot be decoded comes back with `cacheOk = false`, as in queryStatus.
   *
   * @example
   * ```ts
   * for (const { ticket, entry } of await cache.claimStatus(["QUEUED"], 30_000, { limit: 8 })) {
   *   const result = await run(entry.value);
   *   await cache.updateEntry(ticket, "DONE", result, { close: true });
   * }
   * ```
   */
  claimStatus(
    statuses: readonly string[],
    durationMs: number,
    options?: ClaimStatusOptions,
  ): Promise<ClaimedEntry<T>[]>;
}

/** An exclusive, time-limited lease on one key. `await using` closes it. */
export interface CacheTicket extends AsyncDisposable {
  readonly key: string;
  /** The revision the ticket was granted for (0 for openNewTicket). */
  readonly revision: number;
  readonly grantTime: Date;
  readonly expiry: Date;
  /** Superseded at grant, or its expiry has passed by the local clock. */
  readonly superseded: boolean;
  /** Granted for an entry or revision that does not exist. */
  readonly missing: boolean;
  /** Same as `cache.closeTicket(this)`. */
  close(): Promise<void>;
}

/** One job entry as stored. */
export interface CacheEntry<T> {
  readonly key: string;
  readonly revision: number;
  readonly status: string;
  /** The decoded value; throws {@link CacheEntry.cacheError} when it could not be decoded. */
  readonly value: T;
  readonly cacheOk: boolean;
  readonly cacheError?: ECacheCorruption;
}
