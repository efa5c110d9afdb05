/**
 * The messages between a test and its worker processes (process-worker.ts): requests with an id
 * that the worker answers once, and events it sends while a step runs (for the test to act on,
 * e.g. SIGKILL a holder once its lease was renewed).
 */
import type { PluginConfig } from "../../../../src/base/types.js";

/** The value of every entry these tests hammer: a counter and the steps recorded on it. */
export interface CounterValue {
  readonly count: number;
  readonly steps: readonly string[];
}

/** How a step holds its key between reading the entry and committing. */
export type HoldMode =
  /** commit at once */
  | "none"
  /** wait for at least one heartbeat renewal first */
  | "renewal"
  /** never finish the work: hold (with heartbeats) until the lease is lost or the process dies */
  | "until-lost";

/** One increment of the counter of `key` as a ticket step, retried until it commits. */
export interface CounterOp {
  readonly key: string;
  readonly hold: HoldMode;
}

/** The manager's local clock in the worker. */
export type WorkerClock =
  /** the system clock shifted by `offsetMs` (a skewed client) */
  | { readonly kind: "offset"; readonly offsetMs: number }
  /** a clock that never moves: the client believes every ticket is still live */
  | { readonly kind: "frozen" };

/** What the test asks a worker to do. */
export type WorkerRequest =
  | { readonly type: "open"; readonly config: PluginConfig; readonly clock: WorkerClock }
  | {
      readonly type: "hammer";
      readonly cacheName: string;
      readonly durationMs: number;
      readonly ops: readonly CounterOp[];
    }
  /**
   * One step that records `record` in the entry's steps unless a step with the same `stepName`
   * is already there (then it commits nothing): a job step that must happen exactly once.
   */
  | {
      readonly type: "step";
      readonly cacheName: string;
      readonly key: string;
      readonly durationMs: number;
      readonly hold: HoldMode;
      readonly stepName: string;
      readonly record: string;
    }
  /** Raw tickets, held between requests: open at the current revision and read the entry. */
  | {
      readonly type: "ticket-open";
      readonly cacheName: string;
      readonly key: string;
      readonly durationMs: number;
    }
  | { readonly type: "ticket-write"; readonly key: string; readonly record: string }
  | { readonly type: "ticket-renew"; readonly key: string; readonly durationMs: number }
  | { readonly type: "ticket-close"; readonly key: string }
  | { readonly type: "close" };

/** What a `hammer` request reports. */
export interface HammerReport {
  /** Committed increments per key: what this worker says it added. */
  readonly commits: Record<string, number>;
  /** Step outcomes by kind (`committed`, `superseded`, `missing`, `expired`, `failed`). */
  readonly outcomes: Record<string, number>;
  /** Heartbeat renewals seen. */
  readonly renewals: number;
  /** Steps whose commit failed with an error other than a refusal: committed or not, unknown. */
  readonly uncertain: readonly string[];
  /** Ops given up after too many attempts. */
  readonly gaveUp: number;
  /** What the store logged meanwhile, by message: e.g. retried operations and lost connections. */
  readonly storeLog: Record<string, number>;
}

/** What a `step` request reports. */
export interface StepReport {
  /** `committed`: this worker recorded the step; `done-before`: someone else had. */
  readonly result: "committed" | "done-before" | "gave-up";
  readonly revision: number;
  readonly attempts: number;
  readonly outcomes: Record<string, number>;
}

/** What `ticket-open` reports. */
export interface TicketReport {
  readonly granted: boolean;
  readonly superseded: boolean;
  readonly missing: boolean;
  readonly revision: number;
  readonly expiry: string;
}

/** A failed request, as the worker reports it. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { readonly type: "reply"; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: "reply"; readonly id: number; readonly ok: false; readonly error: WorkerError }
  | { readonly type: "event"; readonly key: string; readonly event: string; readonly detail?: number };

/** A request on the wire. */
export type WorkerEnvelope = WorkerRequest & { readonly id: number };
