/** Statuses and values the writing operations use. */
import fc from "fast-check";
import type { Model, ModelConfig, ModelTicket } from "../model.js";

/**
 * A status and a value `{ by: process, n }`, so every write is told apart by who made it; and
 * sometimes `close: true` (the fast path's write and release in one commit).
 */
export function writeArgs(config: ModelConfig) {
  return fc.record({ status: fc.constantFrom(...config.statuses), n: fc.nat(99), close: closeArg });
}

/** `{ close: true }` on about one write in four. */
export const closeArg = fc.oneof(
  { arbitrary: fc.constant(false), weight: 3 },
  { arbitrary: fc.constant(true), weight: 1 },
);

/** The model of a successful write with `close`: the ticket is closed, its lease released. */
export function closedByWrite(model: Model, ticket: ModelTicket, close: boolean): void {
  if (!close) return;
  ticket.closed = true;
  const lease = model.leases.get(ticket.key);
  if (lease?.ticket === ticket.id) lease.released = true;
}

/** The label suffix of a write with `close`. */
export const closeLabel = (close: boolean) => (close ? ", { close: true }" : "");
