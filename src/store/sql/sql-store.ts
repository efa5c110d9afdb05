/**
 * The SQL JobStore: each method is one operation of ops/, run with retries (lost connections,
 * deadlocks, busy databases) and with driver errors turned into the cache's own errors.
 * Arguments arrive validated from the JobCache wrapper.
 * @module
 */
import { setMaxListeners } from "node:events";
import { ECacheUnavailable } from "../../base/errors.js";
import type {
  ClaimedLease,
  ClaimRequest,
  EntryCount,
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
} from "../store.js";
import type { SqlConnection } from "./connect.js";
import { claimStatus } from "./ops/claim-status.js";
import { countEntries } from "./ops/count-entries.js";
import { createEntry } from "./ops/create-entry.js";
import { deleteEntry } from "./ops/delete-entry.js";
import { grantTicket } from "./ops/grant-ticket.js";
import { listLeases } from "./ops/list-leases.js";
import { pruneLeases } from "./ops/prune-leases.js";
import { queryKey } from "./ops/query-key.js";
import { queryStatus } from "./ops/query-status.js";
import { readEntry } from "./ops/read-entry.js";
import { releaseTicket } from "./ops/release-ticket.js";
import { renewTicket } from "./ops/renew-ticket.js";
import { revokeLease } from "./ops/revoke-lease.js";
import type { SqlContext } from "./ops/sql-context.js";
import { updateEntry } from "./ops/update-entry.js";
import { withRetry } from "./retry/retry-policy.js";
import { toCacheError } from "./retry/to-cache-error.js";

/** A job store over one SQL database (any dialect). */
export class SqlStore implements JobStore {
  readonly #connection: SqlConnection;
  readonly #ctx: SqlContext;
  /** Aborted by close(): retries stop, new calls fail at once. */
  readonly #closed = new AbortController();
  /** Operations still running, which close() lets finish before it closes the pool. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;
  /** Every strategy of create/update/delete releases in the same commit with `close`. */
  readonly writeCloses = true;

  constructor(connection: SqlConnection) {
    this.#connection = connection;
    this.#ctx = { db: connection.db, adapter: connection.adapter };
    // pRetry listens once per operation in flight: hundreds are normal, not a leak.
    setMaxListeners(0, this.#closed.signal);
  }

  /** The database, without secrets (for logs and `jobcache inspect`). */
  get target(): string {
    return this.#connection.config.settings.target;
  }

  grant(request: GrantRequest): Promise<GrantResult> {
    return this.#run("openTicket", request, () => grantTicket(this.#ctx, request));
  }

  claim(request: ClaimRequest): Promise<ClaimedLease[]> {
    return this.#run("claimStatus", { cacheName: request.cacheName }, () => claimStatus(this.#ctx, request));
  }

  renew(request: RenewRequest): Promise<{ readonly expiry: Date }> {
    return this.#run("renewTicket", request, () => renewTicket(this.#ctx, request));
  }

  release(lease: LeaseRef): Promise<void> {
    return this.#run("closeTicket", lease, () => releaseTicket(this.#ctx, lease));
  }

  create(request: PutRequest): Promise<number> {
    return this.#run("createEntry", request, () => createEntry(this.#ctx, request));
  }

  update(request: PutRequest): Promise<number> {
    return this.#run("updateEntry", request, () => updateEntry(this.#ctx, request));
  }

  delete(request: WriteRequest): Promise<void> {
    return this.#run("deleteEntry", request, () => deleteEntry(this.#ctx, request));
  }

  read(lease: LeaseRef): Promise<StoredEntry | undefined> {
    return this.#run("readEntry", lease, () => readEntry(this.#ctx, lease));
  }

  queryKey(ref: KeyRef): Promise<StoredEntry | undefined> {
    return this.#run("queryKey", ref, () => queryKey(this.#ctx, ref));
  }

  queryStatus(cacheName: string, statuses: readonly string[], query: StatusQuery): Promise<StoredEntry[]> {
    return this.#run("queryStatus", { cacheName }, () => queryStatus(this.#ctx, cacheName, statuses, query));
  }

  listLeases(cacheName?: string): Promise<LeaseInfo[]> {
    return this.#run("listLeases", { cacheName }, () => listLeases(this.#ctx, cacheName));
  }

  countEntries(cacheName?: string): Promise<EntryCount[]> {
    return this.#run("countEntries", { cacheName }, () => countEntries(this.#ctx, cacheName));
  }

  revoke(ref: KeyRef): Promise<boolean> {
    return this.#run("revoke", ref, () => revokeLease(this.#ctx, ref));
  }

  prune(olderThanMs: number, cacheName?: string): Promise<number> {
    return this.#run("prune", { cacheName }, () => pruneLeases(this.#ctx, olderThanMs, cacheName));
  }

  /**
   * Stops retries at once, lets the statements already sent finish, then closes the pool. A
   * pool closed under waiting operations leaves them waiting (pg) until their connect timeout,
   * then failing with "driver has already been destroyed"; the manager has already settled its
   * callers' promises, so this wait is only for a clean shutdown.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed.abort();
      await Promise.allSettled(this.#inFlight);
      await this.#connection.close();
    })();
    return this.#closing;
  }

  #run<T>(operation: string, where: { cacheName?: string; key?: string }, run: () => Promise<T>): Promise<T> {
    const done = this.#attempt(operation, where, run);
    this.#inFlight.add(done);
    const forget = () => this.#inFlight.delete(done);
    done.then(forget, forget);
    return done;
  }

  async #attempt<T>(
    operation: string,
    where: { cacheName?: string; key?: string },
    run: () => Promise<T>,
  ): Promise<T> {
    const signal = this.#closed.signal;
    try {
      if (signal.aborted) throw signal.reason;
      return await withRetry({ ...this.#connection.retry, signal }, operation, run);
    } catch (error) {
      if (signal.aborted) {
        throw new ECacheUnavailable(`The SQL job cache is closed (${operation}); create a new manager`, {
          cacheName: where.cacheName,
          key: where.key,
          cause: error,
        });
      }
      throw toCacheError(error, this.#connection.failure(operation, where));
    }
  }
}
