import type { Clock } from "../../base/clock.js";
import {
  describeLocation,
  ECacheDuplicate,
  ECacheNotFound,
  ECacheTicket,
  ECacheUnavailable,
} from "../../base/errors.js";
import { decideGrant, holdsLive, isLive } from "../../base/lease-rules.js";
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
import { type LocalEntry, type LocalLease, LocalState } from "./local-state.js";

/** A lease just granted (by a grant or a claim) at `now`, for the request's duration. */
function newLease(
  ticketId: string,
  revision: number,
  now: number,
  request: { readonly durationMs: number; readonly holder?: string | undefined },
): LocalLease {
  return {
    ticketId,
    revision,
    state: "granted",
    released: false,
    grantTime: now,
    heartbeatTime: now,
    expiry: now + request.durationMs,
    holder: request.holder,
    renewals: 0,
  };
}

function toStored(key: string, entry: LocalEntry): StoredEntry {
  return { key, revision: entry.revision, status: entry.status, value: entry.value };
}

/**
 * The in-process store behind the LOCAL protocol: one process only, time from the injected clock.
 * Every method runs synchronously between awaits, so each is atomic, as a SQL statement is.
 */
export class LocalStore implements JobStore {
  readonly #state = new LocalState();
  #closed = false;
  readonly writeCloses = true;

  constructor(private readonly clock: Clock) {}

  async grant(request: GrantRequest): Promise<GrantResult> {
    this.#checkOpen();
    const now = this.clock.now();
    const leases = this.#state.leasesOf(request.cacheName);
    const lease = leases.get(request.key);
    if (lease !== undefined && holdsLive(lease, request.ticketId, now)) {
      return { outcome: "granted", grantTime: new Date(lease.grantTime), expiry: new Date(lease.expiry) };
    }
    const entry = this.#state.entriesOf(request.cacheName).get(request.key);
    const outcome = decideGrant(lease, request.revision, entry?.revision, now);
    if (outcome !== "granted") return { outcome, grantTime: new Date(now), expiry: new Date(now) };
    const granted = newLease(request.ticketId, request.revision ?? 0, now, request);
    leases.set(request.key, granted);
    return { outcome: "granted", grantTime: new Date(now), expiry: new Date(granted.expiry) };
  }

  async claim(request: ClaimRequest): Promise<ClaimedLease[]> {
    this.#checkOpen();
    const now = this.clock.now();
    const wanted = new Set(request.statuses);
    const leases = this.#state.leasesOf(request.cacheName);
    const claimed: ClaimedLease[] = [];
    // Creation order (see queryStatus); the whole claim runs between two awaits, so no other
    // claimer can see a key before its lease is set: racing claimers get disjoint keys.
    for (const [key, entry] of this.#state.entriesOf(request.cacheName)) {
      if (claimed.length >= request.limit) break;
      if (!wanted.has(entry.status) || isLive(leases.get(key), now)) continue;
      const ticketId = request.ticketIds[claimed.length]!;
      const lease = newLease(ticketId, entry.revision, now, request);
      leases.set(key, lease);
      claimed.push({
        entry: toStored(key, entry),
        ticketId,
        grantTime: new Date(now),
        expiry: new Date(lease.expiry),
      });
    }
    return claimed;
  }

  async renew(request: RenewRequest): Promise<{ expiry: Date }> {
    const now = this.clock.now();
    const lease = this.#heldLease(request, now);
    lease.expiry = now + request.durationMs;
    lease.heartbeatTime = now;
    lease.renewals += 1;
    return { expiry: new Date(lease.expiry) };
  }

  async release(ref: LeaseRef): Promise<void> {
    this.#checkOpen();
    const lease = this.#state.leasesOf(ref.cacheName).get(ref.key);
    if (lease === undefined || lease.ticketId !== ref.ticketId || lease.released) return;
    this.#release(lease, this.clock.now());
  }

  #release(lease: LocalLease, now: number): void {
    lease.released = true;
    lease.state = "released";
    lease.expiry = Math.min(lease.expiry, now);
  }

  async create(request: PutRequest): Promise<number> {
    const now = this.clock.now();
    const lease = this.#heldLease(request, now);
    const retried = this.#retried(lease, request);
    if (retried !== undefined) return retried;
    const entries = this.#state.entriesOf(request.cacheName);
    if (entries.has(request.key)) {
      throw new ECacheDuplicate(
        `Entry already exists for ${describeLocation(request.cacheName, request.key)}`,
        {
          ...request,
          revision: entries.get(request.key)?.revision,
        },
      );
    }
    entries.set(request.key, { revision: 1, status: request.status, value: request.value });
    return this.#committed(lease, request, 1);
  }

  async update(request: PutRequest): Promise<number> {
    const now = this.clock.now();
    const lease = this.#heldLease(request, now);
    const retried = this.#retried(lease, request);
    if (retried !== undefined) return retried;
    const entry = this.#fencedEntry(request);
    entry.revision += 1;
    entry.status = request.status;
    entry.value = request.value;
    return this.#committed(lease, request, entry.revision);
  }

  async delete(request: WriteRequest): Promise<void> {
    const now = this.clock.now();
    const lease = this.#heldLease(request, now);
    if (this.#retried(lease, request) !== undefined) return;
    this.#fencedEntry(request);
    this.#state.entriesOf(request.cacheName).delete(request.key);
    this.#committed(lease, request, 0);
  }

  async read(ref: LeaseRef): Promise<StoredEntry | undefined> {
    this.#heldLease(ref, this.clock.now());
    const entry = this.#state.entriesOf(ref.cacheName).get(ref.key);
    return entry === undefined ? undefined : toStored(ref.key, entry);
  }

  async queryKey(ref: KeyRef): Promise<StoredEntry | undefined> {
    this.#checkOpen();
    const entry = this.#state.entriesOf(ref.cacheName).get(ref.key);
    return entry === undefined ? undefined : toStored(ref.key, entry);
  }

  async queryStatus(
    cacheName: string,
    statuses: readonly string[],
    query: StatusQuery,
  ): Promise<StoredEntry[]> {
    this.#checkOpen();
    const now = this.clock.now();
    const wanted = new Set(statuses);
    const leases = this.#state.leasesOf(cacheName);
    // A Map iterates in insertion order, and a re-created entry is inserted anew: creation order,
    // so the scan stops at the limit instead of sorting the whole cache.
    const found: StoredEntry[] = [];
    for (const [key, entry] of this.#state.entriesOf(cacheName)) {
      if (query.limit !== undefined && found.length >= query.limit) break;
      if (wanted.has(entry.status) && (query.includeOpenTickets || !isLive(leases.get(key), now))) {
        found.push(toStored(key, entry));
      }
    }
    return found;
  }

  async listLeases(cacheName?: string): Promise<LeaseInfo[]> {
    this.#checkOpen();
    const now = this.clock.now();
    const caches = cacheName === undefined ? [...this.#state.leases.keys()] : [cacheName];
    return caches.flatMap((cache) =>
      [...this.#state.leasesOf(cache)].map(([key, lease]) => ({
        cacheName: cache,
        key,
        ticketId: lease.ticketId,
        revision: lease.revision,
        state: lease.state !== "released" && now >= lease.expiry ? "expired" : lease.state,
        grantTime: new Date(lease.grantTime),
        heartbeatTime: new Date(lease.heartbeatTime),
        expiry: new Date(lease.expiry),
        expiresInMs: lease.expiry - now,
        holder: lease.holder,
        renewals: lease.renewals,
        heldForMs: Math.max(0, Math.min(now, lease.expiry) - lease.grantTime),
      })),
    );
  }

  async revoke(ref: KeyRef): Promise<boolean> {
    this.#checkOpen();
    const now = this.clock.now();
    const lease = this.#state.leasesOf(ref.cacheName).get(ref.key);
    if (!isLive(lease, now)) return false;
    this.#release(lease as LocalLease, now);
    return true;
  }

  async prune(olderThanMs: number, cacheName?: string): Promise<number> {
    this.#checkOpen();
    const cutoff = this.clock.now() - olderThanMs;
    const caches = cacheName === undefined ? [...this.#state.leases.keys()] : [cacheName];
    let pruned = 0;
    for (const cache of caches) {
      const leases = this.#state.leasesOf(cache);
      for (const [key, lease] of leases) {
        if (lease.expiry <= cutoff) {
          leases.delete(key);
          pruned += 1;
        }
      }
    }
    return pruned;
  }

  async countEntries(cacheName?: string): Promise<EntryCount[]> {
    this.#checkOpen();
    const caches = cacheName === undefined ? [...this.#state.entries.keys()] : [cacheName];
    return caches.flatMap((cache) => {
      const counts = new Map<string, number>();
      for (const entry of this.#state.entriesOf(cache).values())
        counts.set(entry.status, (counts.get(entry.status) ?? 0) + 1);
      return [...counts].map(([status, count]) => ({ cacheName: cache, status, count }));
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #checkOpen(): void {
    if (this.#closed) throw new ECacheUnavailable("The LOCAL job cache is closed; create a new manager");
  }

  /** The lease `ref.ticketId` holds live now, or ECacheTicket: the fencing check of every write. */
  #heldLease(ref: LeaseRef, now: number): LocalLease {
    this.#checkOpen();
    const lease = this.#state.leasesOf(ref.cacheName).get(ref.key);
    if (lease === undefined || !holdsLive(lease, ref.ticketId, now)) {
      throw new ECacheTicket(
        `Ticket is not the live holder of ${describeLocation(ref.cacheName, ref.key)} (expired, closed or taken over)`,
        ref,
      );
    }
    return lease;
  }

  /** A write retried with the same request id returns what the first attempt committed. */
  #retried(lease: LocalLease, request: WriteRequest): number | undefined {
    return lease.lastRequestId === request.requestId ? lease.lastResult : undefined;
  }

  #fencedEntry(request: WriteRequest): LocalEntry {
    const entry = this.#state.entriesOf(request.cacheName).get(request.key);
    if (entry === undefined) {
      throw new ECacheNotFound(`No entry for ${describeLocation(request.cacheName, request.key)}`, request);
    }
    if (entry.revision !== request.expectedRevision) {
      throw new ECacheTicket(
        `Entry ${describeLocation(request.cacheName, request.key)} is at revision ${entry.revision}, ` +
          `not ${request.expectedRevision} as this ticket last saw`,
        { ...request, revision: entry.revision },
      );
    }
    return entry;
  }

  #committed(lease: LocalLease, request: WriteRequest, revision: number): number {
    lease.revision = revision;
    lease.state = "committed";
    lease.lastRequestId = request.requestId;
    lease.lastResult = revision;
    if (request.close === true) this.#release(lease, this.clock.now());
    return revision;
  }
}
