/**
 * The ticket machine's `setup()`: its types, placeholder actors (the lease layer provides the real
 * ones), guards, delays and actions. Split from the state chart (`ticket-machine.ts`) to keep each
 * file one concept: what the machine can do here, when it does it there.
 * @module
 */
import { assign, emit, fromPromise, setup } from "xstate";
import { ECacheConfig, ECacheTicket } from "../base/errors.js";
import type { CacheTicket } from "../base/types.js";
import type {
  LeaseGrant,
  TicketContext,
  TicketEmitted,
  TicketEvent,
  TicketInput,
  TicketOutcome,
} from "./ticket-events.js";

/** Placeholder logic: the machine is data until the lease layer provides real actors. */
function notProvided<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(async () => {
    throw new ECacheConfig(
      `ticketMachine: actor "${name}" is not provided; supply it with machine.provide()`,
    );
  });
}

/** The ticket machine's implementations and types, before its states are written. */
export const ticketSetup = setup({
  types: {
    context: {} as TicketContext,
    input: {} as TicketInput,
    events: {} as TicketEvent,
    emitted: {} as TicketEmitted,
    output: {} as TicketOutcome,
  },
  actors: {
    openTicket: notProvided<LeaseGrant, TicketInput>("openTicket"),
    work: notProvided<unknown, { ticket: CacheTicket }>("work"),
    renewLease: notProvided<LeaseGrant, { ticket: CacheTicket; durationMs: number; deadline: number }>(
      "renewLease",
    ),
    commit: notProvided<number, { ticket: CacheTicket; result: unknown; deadline: number }>("commit"),
    closeTicket: notProvided<void, { ticket: CacheTicket | undefined }>("closeTicket"),
  },
  guards: {
    isMissing: (_, grant: LeaseGrant) => grant.ticket.missing,
    isSuperseded: (_, grant: LeaseGrant) => grant.ticket.superseded,
    isTicketError: (_, params: { error: unknown }) => params.error instanceof ECacheTicket,
  },
  delays: {
    // a third of the lease that is left: two more tries fit before the deadline
    renewInterval: ({ context }) => Math.max(0, context.remainingMs / 3),
    leaseDeadline: ({ context }) => Math.max(0, context.remainingMs),
  },
  actions: {
    assignGrant: assign((_, grant: LeaseGrant) => ({
      ticket: grant.ticket,
      deadline: grant.deadline,
      remainingMs: grant.remainingMs,
    })),
    assignRenewal: assign(({ context }, grant: LeaseGrant) => ({
      ticket: grant.ticket,
      deadline: grant.deadline,
      remainingMs: grant.remainingMs,
      renewals: context.renewals + 1,
    })),
    assignResult: assign((_, params: { result: unknown }) => ({ result: params.result })),
    recordOutcome: assign((_, outcome: TicketOutcome) => ({ outcome })),
    /** Aborts the running work; the lease layer provides it (the machine holds no AbortController). */
    abortWork: () => {},
    notifyGranted: emit(({ context }) => ({
      type: "ticket:granted" as const,
      key: context.key,
      revision: context.ticket?.revision ?? 0,
    })),
    notifyRenewed: emit(({ context }) => ({
      type: "ticket:renewed" as const,
      key: context.key,
      renewals: context.renewals,
    })),
    notifyLost: emit(({ context }) => {
      const outcome = context.outcome;
      const reason = outcome?.kind === "expired" ? outcome.reason : "deadline";
      const error = outcome?.kind === "expired" ? outcome.error : undefined;
      return { type: "ticket:lost" as const, key: context.key, reason, error };
    }),
    notifyCommitted: emit(({ context }) => ({
      type: "ticket:committed" as const,
      key: context.key,
      revision: context.outcome?.kind === "committed" ? context.outcome.revision : 0,
    })),
    notifyFailed: emit(({ context }) => ({
      type: "ticket:failed" as const,
      key: context.key,
      error: context.outcome?.kind === "failed" ? context.outcome.error : undefined,
    })),
    notifySuperseded: emit(({ context }) => ({ type: "ticket:superseded" as const, key: context.key })),
    notifyMissing: emit(({ context }) => ({ type: "ticket:missing" as const, key: context.key })),
    notifyReleased: emit(({ context }, params: { error?: unknown }) => ({
      type: "ticket:released" as const,
      key: context.key,
      error: params.error,
    })),
  },
});
