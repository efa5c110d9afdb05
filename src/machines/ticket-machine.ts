/**
 * The ticket lifecycle as a statechart: requested -> granted (working with heartbeats, then
 * committing) -> committed | expired | superseded | missing | failed -> released. Pure data built
 * with `setup()`: opening, working, renewing, committing and closing are actors the lease layer
 * supplies with `machine.provide` (see `lease/ticket-actor.ts`); timers are the actor's clock.
 * @module
 */
import { assign, emit, fromPromise, setup } from "xstate";
import { ECacheConfig, ECacheTicket } from "../errors.js";
import type { CacheTicket } from "../types.js";
import type {
  ExpiredReason,
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
    throw new ECacheConfig(`ticketMachine: actor "${name}" is not provided; supply it with machine.provide()`);
  });
}

const expired = (reason: ExpiredReason, error?: unknown): TicketOutcome =>
  error === undefined ? { kind: "expired", reason } : { kind: "expired", reason, error };
const failed = (error: unknown): TicketOutcome => ({ kind: "failed", error });

/**
 * The ticket machine. Timing, all relative to the last grant or renewal (`remainingMs`):
 * renew after a third of what is left, expire when all of it is gone. Commit starts only from
 * `granted.working`, so after `expired` nothing commits; once committing, the store's fencing
 * decides and a refused commit ends `expired` with reason `fenced`.
 */
export const ticketMachine = setup({
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
}).createMachine({
  id: "ticket",
  description: "One job step under an exclusive, time-limited ticket with heartbeats",
  context: ({ input }) => ({
    key: input.key,
    revision: input.revision,
    durationMs: input.durationMs,
    ticket: undefined,
    deadline: 0,
    remainingMs: 0,
    renewals: 0,
    result: undefined,
    outcome: undefined,
  }),
  initial: "requested",
  output: ({ context }) =>
    context.outcome ?? failed(new ECacheConfig(`ticket step for key "${context.key}" ended without an outcome`)),
  states: {
    requested: {
      description: "openTicket / openNewTicket sent",
      invoke: {
        id: "open",
        src: "openTicket",
        input: ({ context }) => ({ key: context.key, revision: context.revision, durationMs: context.durationMs }),
        onDone: [
          {
            guard: { type: "isMissing", params: ({ event }) => event.output },
            target: "missing",
            actions: [
              { type: "assignGrant", params: ({ event }) => event.output },
              { type: "recordOutcome", params: { kind: "missing" } },
            ],
          },
          {
            guard: { type: "isSuperseded", params: ({ event }) => event.output },
            target: "superseded",
            actions: [
              { type: "assignGrant", params: ({ event }) => event.output },
              { type: "recordOutcome", params: { kind: "superseded" } },
            ],
          },
          { target: "granted", actions: { type: "assignGrant", params: ({ event }) => event.output } },
        ],
        onError: {
          target: "failed",
          actions: { type: "recordOutcome", params: ({ event }) => failed(event.error) },
        },
      },
      on: {
        "step.cancel": {
          target: "failed",
          actions: { type: "recordOutcome", params: ({ event }) => failed(event.reason) },
        },
      },
    },
    granted: {
      description: "the lease is ours: work runs while heartbeats renew it",
      entry: "notifyGranted",
      initial: "working",
      states: {
        working: {
          invoke: {
            id: "work",
            src: "work",
            input: ({ context }) => ({ ticket: context.ticket! }),
            onDone: {
              target: "committing",
              actions: { type: "assignResult", params: ({ event }) => ({ result: event.output }) },
            },
            onError: {
              target: "#ticket.failed",
              actions: { type: "recordOutcome", params: ({ event }) => failed(event.error) },
            },
          },
          on: {
            "step.cancel": {
              target: "#ticket.failed",
              actions: { type: "recordOutcome", params: ({ event }) => failed(event.reason) },
            },
          },
          initial: "heartbeat",
          states: {
            heartbeat: {
              // re-entered after each renewal, which restarts both timers from the new lease
              after: {
                leaseDeadline: {
                  target: "#ticket.expired",
                  actions: { type: "recordOutcome", params: expired("deadline") },
                },
              },
              initial: "waiting",
              states: {
                waiting: { after: { renewInterval: "renewing" } },
                renewing: {
                  invoke: {
                    id: "renew",
                    src: "renewLease",
                    input: ({ context }) => ({
                      ticket: context.ticket!,
                      durationMs: context.durationMs,
                      deadline: context.deadline,
                    }),
                    onDone: {
                      target: "#ticket.granted.working.heartbeat",
                      reenter: true,
                      actions: [{ type: "assignRenewal", params: ({ event }) => event.output }, "notifyRenewed"],
                    },
                    onError: [
                      {
                        guard: { type: "isTicketError", params: ({ event }) => ({ error: event.error }) },
                        target: "#ticket.expired",
                        actions: { type: "recordOutcome", params: ({ event }) => expired("lost", event.error) },
                      },
                      {
                        target: "#ticket.expired",
                        actions: {
                          type: "recordOutcome",
                          params: ({ event }) => expired("renew-failed", event.error),
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        committing: {
          description: "the work is done; its result is written under the ticket, fenced by the store",
          invoke: {
            id: "commit",
            src: "commit",
            input: ({ context }) => ({ ticket: context.ticket!, result: context.result, deadline: context.deadline }),
            onDone: {
              target: "#ticket.committed",
              actions: {
                type: "recordOutcome",
                params: ({ event }) => ({ kind: "committed", revision: event.output }),
              },
            },
            onError: [
              {
                guard: { type: "isTicketError", params: ({ event }) => ({ error: event.error }) },
                target: "#ticket.expired",
                actions: { type: "recordOutcome", params: ({ event }) => expired("fenced", event.error) },
              },
              {
                target: "#ticket.failed",
                actions: { type: "recordOutcome", params: ({ event }) => failed(event.error) },
              },
            ],
          },
        },
      },
    },
    committed: {
      entry: "notifyCommitted",
      invoke: {
        id: "close",
        src: "closeTicket",
        input: ({ context }) => ({ ticket: context.ticket }),
        onDone: { target: "released", actions: { type: "notifyReleased", params: {} } },
        onError: { target: "released", actions: { type: "notifyReleased", params: ({ event }) => ({ error: event.error }) } },
      },
    },
    expired: {
      description: "the lease ended before the commit: the work is aborted and never commits",
      entry: ["abortWork", "notifyLost"],
      invoke: {
        id: "close",
        src: "closeTicket",
        input: ({ context }) => ({ ticket: context.ticket }),
        onDone: { target: "released", actions: { type: "notifyReleased", params: {} } },
        onError: { target: "released", actions: { type: "notifyReleased", params: ({ event }) => ({ error: event.error }) } },
      },
    },
    superseded: {
      entry: "notifySuperseded",
      invoke: {
        id: "close",
        src: "closeTicket",
        input: ({ context }) => ({ ticket: context.ticket }),
        onDone: { target: "released", actions: { type: "notifyReleased", params: {} } },
        onError: { target: "released", actions: { type: "notifyReleased", params: ({ event }) => ({ error: event.error }) } },
      },
    },
    missing: {
      entry: "notifyMissing",
      invoke: {
        id: "close",
        src: "closeTicket",
        input: ({ context }) => ({ ticket: context.ticket }),
        onDone: { target: "released", actions: { type: "notifyReleased", params: {} } },
        onError: { target: "released", actions: { type: "notifyReleased", params: ({ event }) => ({ error: event.error }) } },
      },
    },
    failed: {
      entry: ["abortWork", "notifyFailed"],
      invoke: {
        id: "close",
        src: "closeTicket",
        input: ({ context }) => ({ ticket: context.ticket }),
        onDone: { target: "released", actions: { type: "notifyReleased", params: {} } },
        onError: { target: "released", actions: { type: "notifyReleased", params: ({ event }) => ({ error: event.error }) } },
      },
    },
    released: {
      description: "the ticket is closed (a no-op for superseded and missing tickets)",
      type: "final",
    },
  },
});

/** The ticket machine's type, for `provide` and actor refs. */
export type TicketMachine = typeof ticketMachine;
