/**
 * The vocabulary of the ticket machine: its input, what its actors hand back, the events it takes,
 * the observability events it emits, and the outcome it ends with. Types only, no behaviour.
 * @module
 */
import type { CacheTicket } from "../base/types.js";

/** What one ticket step is about: a key, the revision to hold it at, and the lease length. */
export interface TicketInput {
  readonly key: string;
  /** The entry revision to hold, or `null` for `openNewTicket` (no entry yet). */
  readonly revision: number | null;
  readonly durationMs: number;
}

/**
 * What the `openTicket` and `renewLease` actors resolve with. Times are local-clock numbers the
 * machine never compares with a clock: `remainingMs` drives its timers, `deadline` is handed back
 * to the implementations (commit refuses to start at or after it).
 */
export interface LeaseGrant {
  readonly ticket: CacheTicket;
  /** Local-clock time (epoch ms) at which the lease ends unless renewed. */
  readonly deadline: number;
  /** Milliseconds of lease left when the actor finished: the deadline timer's delay. */
  readonly remainingMs: number;
}

/** Why a granted ticket ended without committing. */
export type ExpiredReason =
  /** The local deadline passed before a renewal came back. */
  | "deadline"
  /** The store refused a renewal (`ECacheTicket`): the lease is no longer ours. */
  | "lost"
  /** Renewals kept failing (store unreachable) until the retries ran out. */
  | "renew-failed"
  /** The store refused the commit (`ECacheTicket`): fenced off after the lease ended. */
  | "fenced";

/** How a ticket step ended; the machine's output. */
export type TicketOutcome =
  | { readonly kind: "committed"; readonly revision: number }
  | { readonly kind: "superseded" }
  | { readonly kind: "missing" }
  | { readonly kind: "expired"; readonly reason: ExpiredReason; readonly error?: unknown }
  | { readonly kind: "failed"; readonly error: unknown };

/** Events a caller may send to a running ticket machine. */
export type TicketEvent =
  /** Stop the step (shutdown): aborts the work and ends `failed`; ignored once committing. */
  { readonly type: "step.cancel"; readonly reason?: unknown };

/** Observability events (`actor.on(type, ...)`); background failures arrive here, never as throws. */
export type TicketEmitted =
  | { readonly type: "ticket:granted"; readonly key: string; readonly revision: number }
  | { readonly type: "ticket:superseded"; readonly key: string }
  | { readonly type: "ticket:missing"; readonly key: string }
  | { readonly type: "ticket:renewed"; readonly key: string; readonly renewals: number }
  | {
      readonly type: "ticket:lost";
      readonly key: string;
      readonly reason: ExpiredReason;
      readonly error?: unknown;
    }
  | { readonly type: "ticket:committed"; readonly key: string; readonly revision: number }
  | { readonly type: "ticket:failed"; readonly key: string; readonly error: unknown }
  | { readonly type: "ticket:released"; readonly key: string; readonly error?: unknown };

/** The machine's memory. `result` is the work's value, typed by the ticket actor that runs it. */
export interface TicketContext {
  readonly key: string;
  readonly revision: number | null;
  readonly durationMs: number;
  readonly ticket: CacheTicket | undefined;
  readonly deadline: number;
  readonly remainingMs: number;
  readonly renewals: number;
  readonly result: unknown;
  readonly outcome: TicketOutcome | undefined;
}
