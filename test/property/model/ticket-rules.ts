/**
 * The ticket checks of CONTRACT.md as the model applies them: first the process's own view
 * (the JobCache checks the ticket before asking the store), then the store's (is the ticket
 * still the live holder by the store's clock: the fencing condition).
 * @module
 */
import { clientNow, type Model, type ModelTicket } from "./model.js";
import { RULES } from "./outcome.js";

/** Why the process's cache refuses `ticket` without asking the store, or undefined. */
export function clientRefusal(model: Model, ticket: ModelTicket): string | undefined {
  if (ticket.outcome === "missing") return `${RULES.fenced} (missing ticket)`;
  if (ticket.outcome === "superseded") return `${RULES.fenced} (superseded ticket)`;
  if (ticket.closed) return `${RULES.fenced} (closed ticket)`;
  if (clientNow(model, ticket.process) >= ticket.deadline) {
    return `${RULES.fenced} (expired by its process's clock)`;
  }
  return undefined;
}

/** Why the store refuses `ticket` as holder of its key, or undefined when it holds it live. */
export function storeRefusal(model: Model, ticket: ModelTicket): string | undefined {
  const lease = model.leases.get(ticket.key);
  if (lease === undefined || lease.ticket !== ticket.id)
    return `${RULES.fenced} (taken over by another ticket)`;
  if (lease.released) return `${RULES.fenced} (released)`;
  if (model.now >= lease.expiry) return `${RULES.fenced} (expired by the store's clock)`;
  return undefined;
}

/** The ticket's refusal by either check, the process's first. */
export function refusal(model: Model, ticket: ModelTicket): string | undefined {
  return clientRefusal(model, ticket) ?? storeRefusal(model, ticket);
}
