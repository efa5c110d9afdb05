import { randomUUID } from "node:crypto";
import type { Clock } from "../base/clock.js";
import {
  describeLocation,
  ECacheNotFound,
  ECacheTicket,
  ECacheUnavailable,
  EInvalidArgument,
} from "../base/errors.js";
import type {
  CacheEntry,
  CacheTicket,
  ClaimedEntry,
  ClaimStatusOptions,
  JobCache,
  QueryStatusOptions,
  ValueCodec,
  WriteOptions,
} from "../base/types.js";
import {
  validateDuration,
  validateKey,
  validateLimit,
  validatePresent,
  validateRevision,
  validateStatus,
  validateStatuses,
  validateValueSize,
} from "../base/validate.js";
import type { ClaimedLease, JobStore, WriteRequest } from "../store/store.js";
import { decodeEntry } from "./cache-entry.js";
import { Ticket, ticketState } from "./ticket.js";
import { requireLiveGrant } from "./ticket-checks.js";
import type { CacheScope, TicketGrant, TicketState } from "./ticket-grant.js";

/** Entries one claimStatus call may claim (CONTRACT.md "Fast path"). */
const MAX_CLAIM_LIMIT = 1000;

/** The `close` write option: a boolean, false when absent. */
function closeOption(options: WriteOptions | undefined): boolean {
  if (options === undefined) return false;
  if (options === null || typeof options !== "object") {
    throw new EInvalidArgument("options", "write options must be an object, e.g. { close: true }");
  }
  const close = options.close ?? false;
  if (typeof close !== "boolean")
    throw new EInvalidArgument("close", `close must be a boolean, got ${String(close)}`);
  return close;
}

/** What the caches of one manager share. */
export interface CacheContext {
  readonly store: JobStore;
  readonly clock: Clock;
  /** The largest encoded value a write may carry, in UTF-8 bytes (`maxValueBytes`). */
  readonly maxValueBytes: number;
  /** Recorded as the holder of every lease this manager takes. */
  readonly instanceId: string;
  /** True once the manager is closed: every call then fails with ECacheUnavailable. */
  readonly isClosed: () => boolean;
}

/** The error of every call on, or in flight at, a closed manager. */
export function managerClosed(cacheName: string | undefined): ECacheUnavailable {
  const which = cacheName === undefined ? "" : ` (cache "${cacheName}")`;
  return new ECacheUnavailable(`The job cache manager is closed${which}; create a new manager`, {
    cacheName,
  });
}

/**
 * The JobCache over any store: validates arguments, checks tickets, encodes values, then calls
 * the store, in the check order of CONTRACT.md. Several views (codecs) of one cache name share
 * one scope, so their tickets are interchangeable.
 */
export class JobCacheView<T> implements JobCache<T> {
  constructor(
    private readonly context: CacheContext,
    private readonly scope: CacheScope,
    private readonly codec: ValueCodec<T>,
  ) {}

  private get cacheName(): string {
    return this.scope.cacheName;
  }

  async openNewTicket(key: string, durationMs: number): Promise<CacheTicket> {
    const validKey = validateKey(key);
    const duration = validateDuration(durationMs, { cacheName: this.cacheName, key: validKey });
    return this.#grant(validKey, null, duration);
  }

  async openTicket(key: string, revision: number, durationMs: number): Promise<CacheTicket> {
    const validKey = validateKey(key);
    const validRevision = validateRevision(revision);
    const duration = validateDuration(durationMs, { cacheName: this.cacheName, key: validKey });
    return this.#grant(validKey, validRevision, duration);
  }

  async renewTicket(ticket: CacheTicket, durationMs: number): Promise<CacheTicket> {
    validatePresent("ticket", ticket);
    const duration = validateDuration(durationMs, { cacheName: this.cacheName, key: ticket.key });
    const grant = requireLiveGrant(ticket, this.scope, this.context.clock);
    this.#checkOpen();
    const sentAt = this.context.clock.now();
    const renewed = await this.context.store.renew({ ...this.#lease(grant), durationMs: duration });
    const state: TicketState = { ...ticketState(ticket)!, localDeadline: sentAt + duration };
    return this.#ticket(state, {
      revision: ticket.revision,
      grantTime: ticket.grantTime,
      expiry: renewed.expiry,
    });
  }

  async closeTicket(ticket: CacheTicket): Promise<void> {
    validatePresent("ticket", ticket);
    const state = ticketState(ticket);
    const grant = state?.grant;
    if (state === undefined || state.scope !== this.scope || grant === undefined || grant.closed) return;
    grant.closed = true;
    if (this.context.isClosed()) return;
    await this.context.store.release(this.#lease(grant));
  }

  async createEntry(ticket: CacheTicket, status: string, value: T, options?: WriteOptions): Promise<number> {
    const close = closeOption(options);
    const encoded = this.#validateWrite(ticket, status, value);
    const grant = this.#checkTicketAndStatus(ticket, status);
    if (!grant.forCreate && grant.seenRevision === 0) {
      // A regular ticket whose entry was deleted under it: creating is the job of openNewTicket,
      // which checks that no one else is creating the key. (While the entry exists the store
      // answers ECacheDuplicate, as for any create.)
      throw new ECacheTicket(
        `Ticket for ${describeLocation(this.cacheName, grant.key)} was opened with openTicket; use openNewTicket to create an entry`,
        { cacheName: this.cacheName, key: grant.key },
      );
    }
    const revision = await this.#closing(grant, close, (write) =>
      this.context.store.create({ ...write, expectedRevision: 0, status, value: encoded }),
    );
    grant.seenRevision = revision;
    return revision;
  }

  async updateEntry(ticket: CacheTicket, status: string, value: T, options?: WriteOptions): Promise<number> {
    const close = closeOption(options);
    const encoded = this.#validateWrite(ticket, status, value);
    const grant = this.#checkTicketAndStatus(ticket, status);
    const revision = await this.#closing(grant, close, (write) =>
      this.context.store.update({ ...write, status, value: encoded }),
    );
    grant.seenRevision = revision;
    return revision;
  }

  async deleteEntry(ticket: CacheTicket, options?: WriteOptions): Promise<void> {
    const close = closeOption(options);
    validatePresent("ticket", ticket);
    const grant = this.#checkTicketAndStatus(ticket, undefined);
    await this.#closing(grant, close, async (write) => {
      await this.context.store.delete(write);
      return 0;
    });
    grant.seenRevision = 0;
  }

  async readEntry(ticket: CacheTicket): Promise<CacheEntry<T>> {
    validatePresent("ticket", ticket);
    const grant = this.#checkTicketAndStatus(ticket, undefined);
    const stored = await this.context.store.read(this.#lease(grant));
    if (stored === undefined) {
      throw new ECacheNotFound(`No entry for ${describeLocation(this.cacheName, grant.key)}`, {
        cacheName: this.cacheName,
        key: grant.key,
      });
    }
    grant.seenRevision = stored.revision;
    const entry = await decodeEntry(this.cacheName, stored, this.codec);
    if (entry.cacheError !== undefined) throw entry.cacheError;
    return entry;
  }

  async queryKey(key: string): Promise<CacheEntry<T> | undefined> {
    const validKey = validateKey(key);
    this.#checkOpen();
    const stored = await this.context.store.queryKey({ cacheName: this.cacheName, key: validKey });
    return stored === undefined ? undefined : decodeEntry(this.cacheName, stored, this.codec);
  }

  async queryStatus(statuses: readonly string[], options: QueryStatusOptions = {}): Promise<CacheEntry<T>[]> {
    if (options === null || typeof options !== "object") {
      throw new EInvalidArgument("options", "queryStatus options must be an object");
    }
    const includeOpenTickets = options.includeOpenTickets ?? false;
    if (typeof includeOpenTickets !== "boolean") {
      throw new EInvalidArgument("includeOpenTickets", "includeOpenTickets must be a boolean");
    }
    const limit = validateLimit(options.limit);
    const valid = validateStatuses(statuses, { cacheName: this.cacheName });
    if (valid.length === 0 || limit === 0) return [];
    this.#checkOpen();
    const found = await this.context.store.queryStatus(this.cacheName, valid, { includeOpenTickets, limit });
    return Promise.all(found.map((stored) => decodeEntry(this.cacheName, stored, this.codec)));
  }

  async claimStatus(
    statuses: readonly string[],
    durationMs: number,
    options: ClaimStatusOptions = {},
  ): Promise<ClaimedEntry<T>[]> {
    if (options === null || typeof options !== "object") {
      throw new EInvalidArgument("options", "claimStatus options must be an object");
    }
    const limit = validateLimit(options.limit) ?? 1;
    if (limit > MAX_CLAIM_LIMIT) {
      throw new EInvalidArgument(
        "limit",
        `limit must be at most ${MAX_CLAIM_LIMIT}, got ${limit}; claim in batches`,
      );
    }
    const valid = validateStatuses(statuses, { cacheName: this.cacheName });
    const duration = validateDuration(durationMs, { cacheName: this.cacheName });
    if (valid.length === 0 || limit === 0) return [];
    this.#checkOpen();
    const sentAt = this.context.clock.now();
    const { store } = this.context;
    const claimed =
      store.claim === undefined
        ? await this.#claimByGrants(valid, duration, limit)
        : await store.claim({
            cacheName: this.cacheName,
            statuses: valid,
            durationMs: duration,
            limit,
            ticketIds: Array.from({ length: limit }, () => randomUUID()),
            holder: this.context.instanceId,
          });
    return Promise.all(
      claimed.map(async (lease) => ({
        ticket: this.#ticket(
          {
            scope: this.scope,
            key: lease.entry.key,
            grant: {
              scope: this.scope,
              key: lease.entry.key,
              ticketId: lease.ticketId,
              forCreate: false,
              seenRevision: lease.entry.revision,
              closed: false,
            },
            supersededAtGrant: false,
            missing: false,
            localDeadline: sentAt + duration,
          },
          { revision: lease.entry.revision, grantTime: lease.grantTime, expiry: lease.expiry },
        ),
        entry: await decodeEntry(this.cacheName, lease.entry, this.codec),
      })),
    );
  }

  /**
   * A store without `claim` (a third-party plugin written before it): queryStatus, then a grant
   * per entry at its revision, keeping the granted ones. Correct (each grant is the store's own
   * atomic step) but slower, and racing claimers then contend for the same oldest entries.
   */
  async #claimByGrants(statuses: string[], durationMs: number, limit: number): Promise<ClaimedLease[]> {
    const { store } = this.context;
    const found = await store.queryStatus(this.cacheName, statuses, { includeOpenTickets: false, limit });
    const claimed: ClaimedLease[] = [];
    for (const entry of found) {
      const ticketId = randomUUID();
      const { cacheName } = this;
      const result = await store.grant({
        cacheName,
        key: entry.key,
        revision: entry.revision,
        durationMs,
        ticketId,
      });
      if (result.outcome === "granted") {
        claimed.push({ entry, ticketId, grantTime: result.grantTime, expiry: result.expiry });
      }
    }
    return claimed;
  }

  /**
   * Runs a write; with `close` the store releases in the same commit (or, for a store without
   * that, right after) and the ticket is closed. A refused write throws and closes nothing.
   */
  async #closing(
    grant: TicketGrant,
    close: boolean,
    write: (request: WriteRequest) => Promise<number>,
  ): Promise<number> {
    const { store } = this.context;
    const request: WriteRequest = { ...this.#write(grant), close: close && store.writeCloses === true };
    const revision = await write(request);
    if (close) {
      grant.closed = true;
      if (store.writeCloses !== true) await store.release(this.#lease(grant));
    }
    return revision;
  }

  async #grant(key: string, revision: number | null, durationMs: number): Promise<CacheTicket> {
    this.#checkOpen();
    const ticketId = randomUUID();
    const sentAt = this.context.clock.now();
    const result = await this.context.store.grant({
      cacheName: this.cacheName,
      key,
      revision,
      durationMs,
      ticketId,
      holder: this.context.instanceId,
    });
    const granted = result.outcome === "granted";
    const grant: TicketGrant | undefined = granted
      ? {
          scope: this.scope,
          key,
          ticketId,
          forCreate: revision === null,
          seenRevision: revision ?? 0,
          closed: false,
        }
      : undefined;
    const state: TicketState = {
      scope: this.scope,
      key,
      grant,
      supersededAtGrant: result.outcome === "superseded",
      missing: result.outcome === "missing",
      localDeadline: granted ? sentAt + durationMs : sentAt,
    };
    return this.#ticket(state, {
      revision: revision ?? 0,
      grantTime: result.grantTime,
      expiry: result.expiry,
    });
  }

  #ticket(state: TicketState, fields: { revision: number; grantTime: Date; expiry: Date }): Ticket {
    return new Ticket(state, fields, this.context.clock, (ticket) => this.closeTicket(ticket));
  }

  /** Argument validation of a create or update: present ticket, status and value; encodable value. */
  #validateWrite(ticket: CacheTicket, status: string, value: T): string {
    validatePresent("ticket", ticket);
    validatePresent("status", status);
    validatePresent("value", value);
    let encoded: string;
    try {
      encoded = this.codec.encode(value);
    } catch (cause) {
      if (cause instanceof EInvalidArgument) throw cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new EInvalidArgument("value", `value cannot be encoded: ${reason}`, { cause });
    }
    return validateValueSize(encoded, this.context.maxValueBytes);
  }

  #checkTicketAndStatus(ticket: CacheTicket, status: string | undefined): TicketGrant {
    const grant = requireLiveGrant(ticket, this.scope, this.context.clock);
    if (status !== undefined) validateStatus(status, { cacheName: this.cacheName, key: grant.key });
    this.#checkOpen();
    return grant;
  }

  #lease(grant: TicketGrant): { cacheName: string; key: string; ticketId: string } {
    return { cacheName: this.cacheName, key: grant.key, ticketId: grant.ticketId };
  }

  #write(grant: TicketGrant) {
    return { ...this.#lease(grant), expectedRevision: grant.seenRevision, requestId: randomUUID() };
  }

  #checkOpen(): void {
    if (this.context.isClosed()) throw managerClosed(this.cacheName);
  }
}
