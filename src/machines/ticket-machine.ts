/**
 * The ticket lifecycle as a statechart: requested -> granted (working with heartbeats, then
 * committing) -> committed | expired | superseded | missing | failed -> released. Pure data built
 * with `setup()`: opening, working, renewing, committing and closing are actors the lease layer
 * supplies with `machine.provide` (see `lease/ticket-actor.ts`); timers are the actor's clock.
 * @module
 */
import { ECacheConfig } from "../base/errors.js";
import type { ExpiredReason, TicketContext, TicketOutcome } from "./ticket-events.js";
import { ticketSetup } from "./ticket-setup.js";

const expired = (reason: ExpiredReason, error?: unknown): TicketOutcome =>
  error === undefined ? { kind: "expired", reason } : { kind: "expired", reason, error };
const failed = (error: unknown): TicketOutcome => ({ kind: "failed", error });

/** Every outcome closes its ticket (a no-op for superseded and missing), then ends `released`. */
const closeThenRelease = {
  id: "close",
  src: "closeTicket",
  input: ({ context }: { context: TicketContext }) => ({ ticket: context.ticket }),
  onDone: { target: "released", actions: { type: "notifyReleased", params: {} } },
  onError: {
    target: "released",
    actions: {
      type: "notifyReleased",
      params: ({ event }: { event: { error: unknown } }) => ({ error: event.error }),
    },
  },
} as const;

/**
 * The ticket machine. Timing, all relative to the last grant or renewal (`remainingMs`):
 * renew after a third of what is left, expire when all of it is gone. Commit starts only from
 * `granted.working`, so after `expired` nothing commits; once committing, the store's fencing
 * decides and a refused commit ends `expired` with reason `fenced`.
 */
export const ticketMachine = ticketSetup.createMachine({
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
    context.outcome ??
    failed(new ECacheConfig(`ticket step for key "${context.key}" ended without an outcome`)),
  states: {
    requested: {
      description: "openTicket / openNewTicket sent",
      invoke: {
        id: "open",
        src: "openTicket",
        input: ({ context }) => ({
          key: context.key,
          revision: context.revision,
          durationMs: context.durationMs,
        }),
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
                      actions: [
                        { type: "assignRenewal", params: ({ event }) => event.output },
                        "notifyRenewed",
                      ],
                    },
                    onError: [
                      {
                        guard: { type: "isTicketError", params: ({ event }) => ({ error: event.error }) },
                        target: "#ticket.expired",
                        actions: {
                          type: "recordOutcome",
                          params: ({ event }) => expired("lost", event.error),
                        },
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
            input: ({ context }) => ({
              ticket: context.ticket!,
              result: context.result,
              deadline: context.deadline,
            }),
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
      invoke: closeThenRelease,
    },
    expired: {
      description: "the lease ended before the commit: the work is aborted and never commits",
      entry: ["abortWork", "notifyLost"],
      invoke: closeThenRelease,
    },
    superseded: {
      entry: "notifySuperseded",
      invoke: closeThenRelease,
    },
    missing: {
      entry: "notifyMissing",
      invoke: closeThenRelease,
    },
    failed: {
      entry: ["abortWork", "notifyFailed"],
      invoke: closeThenRelease,
    },
    released: {
      description: "the ticket is closed (a no-op for superseded and missing tickets)",
      type: "final",
    },
  },
});

/** The ticket machine's type, for `provide` and actor refs. */
export type TicketMachine = typeof ticketMachine;
