/**
 * MEMO-TEST: a deliberately independent third-party job store, written only against the public
 * API (the JobStore interface and the error classes), to prove a plugin can pass the conformance
 * suite. It shares nothing with src/store/local: its own state, its own clock, its own rules.
 * @module
 */
import {
  type Clock,
  ECacheConfig,
  ECacheDuplicate,
  ECacheNotFound,
  ECacheTicket,
  ECacheUnavailable,
  type GrantRequest,
  type GrantResult,
  type JobCachePlugin,
  type JobStore,
  type KeyRef,
  type LeaseRef,
  type PutRequest,
  type RenewRequest,
  type StatusQuery,
  type StoredEntry,
  type WriteRequest,
} from "../../../src/index.js";

interface MemoLease {
  readonly ticketId: string;
  expiry: number;
  released: boolean;
  /** The last write's request id and result, so a retried write returns what it committed. */
  lastWrite?: { readonly requestId: string; readonly result: number };
}

interface MemoEntry {
  revision: number;
  status: string;
  value: string;
  /** Creation order, for queryStatus. */
  readonly created: number;
}

/** One shared in-memory "database": what several managers (processes) of one test share. */
export class MemoSpace {
  readonly #entries = new Map<string, Map<string, MemoEntry>>();
  readonly #leases = new Map<string, Map<string, MemoLease>>();
  #now: number;
  /** How far the managers' clocks trail the store's after store-only moves (paused processes). */
  #clientLag = 0;
  #created = 0;

  constructor(start = Date.UTC(2031, 5, 1)) {
    this.#now = start;
  }

  /** The store's own clock: it decides every lease, whatever the managers' clocks say. */
  now(): number {
    return this.#now;
  }

  /** Moves the store's clock and every manager's clock. */
  advance(ms: number): void {
    this.#now += ms;
  }

  /** Moves only the store's clock: the managers' clocks stay, as if their processes paused. */
  advanceStoreOnly(ms: number): void {
    this.#now += ms;
    this.#clientLag += ms;
  }

  /** A manager's local clock: the store's, skewed by `offsetMs` and any store-only moves. */
  clockFor(offsetMs: number): Clock {
    return { now: () => this.#now - this.#clientLag + offsetMs };
  }

  entries(cacheName: string): Map<string, MemoEntry> {
    return this.#table(this.#entries, cacheName);
  }

  leases(cacheName: string): Map<string, MemoLease> {
    return this.#table(this.#leases, cacheName);
  }

  nextCreated(): number {
    this.#created += 1;
    return this.#created;
  }

  #table<V>(tables: Map<string, Map<string, V>>, cacheName: string): Map<string, V> {
    let table = tables.get(cacheName);
    if (table === undefined) {
      table = new Map();
      tables.set(cacheName, table);
    }
    return table;
  }
}

function isLive(lease: MemoLease | undefined, now: number): lease is MemoLease {
  return lease !== undefined && !lease.released && now < lease.expiry;
}

function stored(key: string, entry: MemoEntry): StoredEntry {
  return { key, revision: entry.revision, status: entry.status, value: entry.value };
}

/** One manager's connection to a {@link MemoSpace}. Every method runs without awaiting: atomic. */
export class MemoStore implements JobStore {
  #closed = false;

  constructor(private readonly space: MemoSpace) {}

  async grant(request: GrantRequest): Promise<GrantResult> {
    const now = this.#open();
    const leases = this.space.leases(request.cacheName);
    const lease = leases.get(request.key);
    if (isLive(lease, now)) {
      const mine = lease.ticketId === request.ticketId;
      return {
        outcome: mine ? "granted" : "superseded",
        grantTime: new Date(now),
        expiry: new Date(lease.expiry),
      };
    }
    const entry = this.space.entries(request.cacheName).get(request.key);
    const refusal = this.#refusal(request.revision, entry?.revision);
    if (refusal !== undefined) return { outcome: refusal, grantTime: new Date(now), expiry: new Date(now) };
    const expiry = now + request.durationMs;
    leases.set(request.key, { ticketId: request.ticketId, expiry, released: false });
    return { outcome: "granted", grantTime: new Date(now), expiry: new Date(expiry) };
  }

  async renew(request: RenewRequest): Promise<{ readonly expiry: Date }> {
    const now = this.#open();
    const lease = this.#held(request, now);
    lease.expiry = now + request.durationMs;
    return { expiry: new Date(lease.expiry) };
  }

  async release(ref: LeaseRef): Promise<void> {
    this.#open();
    const lease = this.space.leases(ref.cacheName).get(ref.key);
    if (lease?.ticketId === ref.ticketId) lease.released = true;
  }

  async create(request: PutRequest): Promise<number> {
    const lease = this.#held(request, this.#open());
    if (lease.lastWrite?.requestId === request.requestId) return lease.lastWrite.result;
    const entries = this.space.entries(request.cacheName);
    if (entries.has(request.key)) {
      throw new ECacheDuplicate(
        `MEMO-TEST: "${request.key}" already exists in cache "${request.cacheName}"`,
        request,
      );
    }
    const created = this.space.nextCreated();
    entries.set(request.key, { revision: 1, status: request.status, value: request.value, created });
    lease.lastWrite = { requestId: request.requestId, result: 1 };
    return 1;
  }

  async update(request: PutRequest): Promise<number> {
    const lease = this.#held(request, this.#open());
    if (lease.lastWrite?.requestId === request.requestId) return lease.lastWrite.result;
    const entry = this.#fenced(request);
    entry.revision += 1;
    entry.status = request.status;
    entry.value = request.value;
    lease.lastWrite = { requestId: request.requestId, result: entry.revision };
    return entry.revision;
  }

  async delete(request: WriteRequest): Promise<void> {
    const lease = this.#held(request, this.#open());
    if (lease.lastWrite?.requestId === request.requestId) return;
    this.#fenced(request);
    this.space.entries(request.cacheName).delete(request.key);
    lease.lastWrite = { requestId: request.requestId, result: 0 };
  }

  async read(ref: LeaseRef): Promise<StoredEntry | undefined> {
    this.#held(ref, this.#open());
    const entry = this.space.entries(ref.cacheName).get(ref.key);
    return entry === undefined ? undefined : stored(ref.key, entry);
  }

  async queryKey(ref: KeyRef): Promise<StoredEntry | undefined> {
    this.#open();
    const entry = this.space.entries(ref.cacheName).get(ref.key);
    return entry === undefined ? undefined : stored(ref.key, entry);
  }

  async queryStatus(
    cacheName: string,
    statuses: readonly string[],
    query: StatusQuery,
  ): Promise<StoredEntry[]> {
    const now = this.#open();
    const leases = this.space.leases(cacheName);
    const matching: Array<[string, MemoEntry]> = [];
    for (const [key, entry] of this.space.entries(cacheName)) {
      if (!statuses.includes(entry.status)) continue;
      if (!query.includeOpenTickets && isLive(leases.get(key), now)) continue;
      matching.push([key, entry]);
    }
    matching.sort(([, a], [, b]) => a.created - b.created);
    return matching.slice(0, query.limit ?? matching.length).map(([key, entry]) => stored(key, entry));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** The store's now, or ECacheUnavailable once this connection is closed. */
  #open(): number {
    if (this.#closed) throw new ECacheUnavailable("MEMO-TEST: this store connection is closed");
    return this.space.now();
  }

  #refusal(wanted: number | null, actual: number | undefined): "superseded" | "missing" | undefined {
    if (wanted === null) return actual === undefined ? undefined : "superseded";
    if (actual === undefined || actual < wanted) return "missing";
    return actual > wanted ? "superseded" : undefined;
  }

  #held(ref: LeaseRef, now: number): MemoLease {
    const lease = this.space.leases(ref.cacheName).get(ref.key);
    if (!isLive(lease, now) || lease.ticketId !== ref.ticketId) {
      throw new ECacheTicket(
        `MEMO-TEST: the ticket no longer holds "${ref.key}" in cache "${ref.cacheName}"`,
        ref,
      );
    }
    return lease;
  }

  #fenced(request: WriteRequest): MemoEntry {
    const entry = this.space.entries(request.cacheName).get(request.key);
    if (entry === undefined) {
      throw new ECacheNotFound(
        `MEMO-TEST: no entry "${request.key}" in cache "${request.cacheName}"`,
        request,
      );
    }
    if (entry.revision !== request.expectedRevision) {
      throw new ECacheTicket(
        `MEMO-TEST: "${request.key}" in cache "${request.cacheName}" moved to revision ${entry.revision}`,
        request,
      );
    }
    return entry;
  }
}

/** The MEMO-TEST plugin and the spaces it serves, one per test, named by the `space` property. */
export function createMemoPlugin(): {
  plugin: JobCachePlugin;
  openSpace(): { id: string; space: MemoSpace };
  dropSpace(id: string): void;
} {
  const spaces = new Map<string, MemoSpace>();
  let made = 0;
  return {
    plugin: {
      protocols: ["MEMO-TEST"],
      async createStore(config) {
        const id = config.properties?.space;
        const space = id === undefined ? undefined : spaces.get(id);
        if (space === undefined) {
          throw new ECacheConfig(
            `MEMO-TEST: set properties.space to an open space (got ${JSON.stringify(id)})`,
          );
        }
        return new MemoStore(space);
      },
    },
    openSpace() {
      made += 1;
      const id = `space-${made}`;
      const space = new MemoSpace();
      spaces.set(id, space);
      return { id, space };
    },
    dropSpace(id) {
      spaces.delete(id);
    },
  };
}
