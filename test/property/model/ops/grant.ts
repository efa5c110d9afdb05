/**
 * openNewTicket and openTicket: the grant rules of CONTRACT.md "Tickets" in the model, and the
 * real call. A live holder supersedes every request, whatever the entry.
 * @module
 */
import { ticketState } from "../../../../src/manager/ticket.js";
import { clientNow, type GrantOutcome, liveLease, type Model } from "../model.js";
import type { BoundOp, RaceRun } from "../op.js";
import { cacheOf } from "../op.js";
import { observe, ok, type Prediction, RULES } from "../outcome.js";

/** What a grant asks for: `asked` is null for openNewTicket, else the revision. */
export interface GrantAsk {
  readonly process: number;
  readonly key: string;
  readonly asked: number | null;
  readonly durationMs: number;
}

function decide(model: Model, ask: GrantAsk): { outcome: GrantOutcome; rule: string } {
  const live = liveLease(model, ask.key);
  if (live !== undefined) {
    return {
      outcome: "superseded",
      rule: `${RULES.exclusive} (ticket #${live.ticket} holds ${ask.key} live)`,
    };
  }
  const entry = model.entries.get(ask.key);
  if (ask.asked === null) {
    return { outcome: entry === undefined ? "granted" : "superseded", rule: RULES.grant };
  }
  if (entry === undefined || entry.revision < ask.asked) return { outcome: "missing", rule: RULES.grant };
  return { outcome: entry.revision > ask.asked ? "superseded" : "granted", rule: RULES.grant };
}

/** The model's grant: records the ticket (refused ones too) and, when granted, the lease. */
export function predictGrant(model: Model, ask: GrantAsk, id: number): Prediction {
  const { outcome, rule } = decide(model, ask);
  const sentAt = clientNow(model, ask.process);
  model.tickets.push({
    id,
    process: ask.process,
    key: ask.key,
    forCreate: ask.asked === null,
    outcome,
    deadline: outcome === "granted" ? sentAt + ask.durationMs : sentAt,
    seen: ask.asked ?? 0,
    closed: false,
  });
  if (outcome === "granted") {
    model.leases.set(ask.key, { ticket: id, expiry: model.now + ask.durationMs, released: false });
  }
  return ok(outcome, rule);
}

/** The real grant through the process's cache; the ticket is recorded under `id`. */
export function performGrant(run: RaceRun, ask: GrantAsk, id: number) {
  return observe(async () => {
    const cache = cacheOf(run, ask.process);
    const ticket =
      ask.asked === null
        ? await cache.openNewTicket(ask.key, ask.durationMs)
        : await cache.openTicket(ask.key, ask.asked, ask.durationMs);
    run.tickets.set(id, ticket);
    const storeId = ticketState(ticket)?.grant?.ticketId;
    if (storeId !== undefined) run.storeIds.set(id, storeId);
    return ticket.missing ? "missing" : ticket.superseded ? "superseded" : "granted";
  });
}

/** A bound grant of `ask`, labelled `label`. */
export function boundGrant(label: string, ask: GrantAsk, allocate: () => number): BoundOp {
  const id = allocate();
  return {
    label: `${label} -> #${id}`,
    process: ask.process,
    predict: (model) => predictGrant(model, ask, id),
    perform: (run) => performGrant(run, ask, id),
  };
}
