/**
 * Helpers for driving the ticket machine without running anything: fake tickets, the internal
 * events its actors and timers would send, and a readable summary of planned actions.
 */
import type { AnyEventObject } from "xstate";
import { ECacheTicket, ECacheUnavailable } from "../../../src/base/errors.js";
import type { CacheTicket } from "../../../src/base/types.js";
import type { LeaseGrant } from "../../../src/machines/ticket-events.js";

/** A ticket-shaped object; the machine reads only `revision`, `superseded` and `missing`. */
export function fakeTicket(
  fields: Partial<Pick<CacheTicket, "revision" | "superseded" | "missing">> = {},
): CacheTicket {
  const ticket = {
    key: "job-1",
    revision: fields.revision ?? 3,
    grantTime: new Date(0),
    expiry: new Date(30_000),
    superseded: fields.superseded ?? false,
    missing: fields.missing ?? false,
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
  return ticket;
}

export const DURATION = 30_000;
export const INPUT = { key: "job-1", revision: 3, durationMs: DURATION } as const;

export function grant(
  ticket: CacheTicket = fakeTicket(),
  remainingMs = DURATION,
  deadline = remainingMs,
): LeaseGrant {
  return { ticket, deadline, remainingMs };
}

export const ticketError = () => new ECacheTicket('Ticket for key "job-1" has expired', { key: "job-1" });
export const unavailable = () => new ECacheUnavailable("store unreachable");

/** Events the machine's actors and timers send it (outside its public event type). */
export const ev = {
  opened: (g: LeaseGrant = grant()): AnyEventObject => ({ type: "xstate.done.actor.open", output: g }),
  openFailed: (error: unknown = unavailable()): AnyEventObject => ({
    type: "xstate.error.actor.open",
    error,
  }),
  renewDue: (): AnyEventObject => ({
    type: "xstate.after.renewInterval.ticket.granted.working.heartbeat.waiting",
  }),
  deadline: (): AnyEventObject => ({ type: "xstate.after.leaseDeadline.ticket.granted.working.heartbeat" }),
  renewed: (g: LeaseGrant = grant()): AnyEventObject => ({ type: "xstate.done.actor.renew", output: g }),
  renewFailed: (error: unknown = ticketError()): AnyEventObject => ({
    type: "xstate.error.actor.renew",
    error,
  }),
  workDone: (output: unknown = { answer: 42 }): AnyEventObject => ({
    type: "xstate.done.actor.work",
    output,
  }),
  workFailed: (error: unknown = new Error("boom")): AnyEventObject => ({
    type: "xstate.error.actor.work",
    error,
  }),
  committed: (revision = 4): AnyEventObject => ({ type: "xstate.done.actor.commit", output: revision }),
  commitFailed: (error: unknown = ticketError()): AnyEventObject => ({
    type: "xstate.error.actor.commit",
    error,
  }),
  closed: (): AnyEventObject => ({ type: "xstate.done.actor.close", output: undefined }),
  closeFailed: (error: unknown = unavailable()): AnyEventObject => ({
    type: "xstate.error.actor.close",
    error,
  }),
  cancel: (reason: unknown = "shutdown"): AnyEventObject => ({ type: "step.cancel", reason }),
};

interface PlannedAction {
  type: string;
  params?: unknown;
}

/**
 * Planned actions as short strings: `spawn work`, `stop open`, `emit ticket:granted`,
 * `after leaseDeadline 30000`, `cancel renewInterval`, or the named action (`abortWork`).
 */
export function plan(actions: readonly PlannedAction[]): string[] {
  return actions.map((action) => {
    const params = (action.params ?? {}) as Record<string, unknown>;
    switch (action.type) {
      case "xstate.spawnChild":
        return `spawn ${String(params.src)}`;
      case "xstate.stopChild":
        return `stop ${String((params as { id?: string }).id ?? (action.params as { id?: string } | undefined)?.id)}`;
      case "xstate.emit":
        return `emit ${(params.event as { type: string }).type}`;
      case "xstate.raise":
        return `after ${String(params.id).split(".")[2]} ${String(params.delay)}`;
      case "xstate.cancel":
        return `cancel ${String(params.sendId).split(".")[2]}`;
      default:
        return action.type;
    }
  });
}

/** The planned actions' parameters of one kind, e.g. the input of a spawned actor. */
export function spawned(actions: readonly PlannedAction[], src: string): { input: unknown } | undefined {
  const found = actions.find(
    (a) => a.type === "xstate.spawnChild" && (a.params as { src?: string } | undefined)?.src === src,
  );
  return found?.params as { input: unknown } | undefined;
}

export function emitted(
  actions: readonly PlannedAction[],
  type: string,
): Record<string, unknown> | undefined {
  const found = actions.find(
    (a) => a.type === "xstate.emit" && (a.params as { event: { type: string } }).event.type === type,
  );
  return (found?.params as { event: Record<string, unknown> } | undefined)?.event;
}
