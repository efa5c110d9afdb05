import type { Clock } from "../base/clock.js";
import type { CacheTicket } from "../base/types.js";
import type { TicketState } from "./ticket-grant.js";

/** Maps ticket objects to their state; forged look-alikes are not in it, so they are rejected. */
const states = new WeakMap<object, TicketState>();

/** The state behind a ticket this process granted, or undefined for anything else. */
export function ticketState(ticket: unknown): TicketState | undefined {
  return typeof ticket === "object" && ticket !== null ? states.get(ticket) : undefined;
}

/** A ticket as handed to callers: immutable fields, liveness by the local clock. */
export class Ticket implements CacheTicket {
  readonly key: string;
  readonly revision: number;
  readonly grantTime: Date;
  readonly expiry: Date;
  readonly missing: boolean;
  readonly #clock: Clock;
  readonly #supersededAtGrant: boolean;
  readonly #localDeadline: number;
  readonly #close: (ticket: Ticket) => Promise<void>;

  constructor(
    state: TicketState,
    fields: { revision: number; grantTime: Date; expiry: Date },
    clock: Clock,
    close: (ticket: Ticket) => Promise<void>,
  ) {
    this.key = state.key;
    this.revision = fields.revision;
    this.grantTime = fields.grantTime;
    this.expiry = fields.expiry;
    this.missing = state.missing;
    this.#supersededAtGrant = state.supersededAtGrant;
    this.#localDeadline = state.localDeadline;
    this.#clock = clock;
    this.#close = close;
    states.set(this, state);
    Object.freeze(this);
  }

  /** Superseded at grant, or the lease's expiry has passed by the local clock. */
  get superseded(): boolean {
    return this.#supersededAtGrant || (!this.missing && this.#clock.now() >= this.#localDeadline);
  }

  close(): Promise<void> {
    return this.#close(this);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#close(this);
  }

  toJSON(): Record<string, unknown> {
    const { key, revision, grantTime, expiry, superseded, missing } = this;
    return { key, revision, grantTime, expiry, superseded, missing };
  }
}
