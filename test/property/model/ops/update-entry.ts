/**
 * `updateEntry(t, status, value)`: only the live holder, fenced on the revision it last saw;
 * the revision moves by exactly one, even for the same status and value.
 */
import type fc from "fast-check";
import type { ModelConfig } from "../model.js";
import type { Op } from "../op.js";
import { ok, RULES, rejected } from "../outcome.js";
import { refusal } from "../ticket-rules.js";
import { writeArgs } from "./entry-value.js";
import { ownTicketOp } from "./ticket-op.js";

export function updateEntryOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, writeArgs(config), {
    describe: ({ status, n }) => `updateEntry(${status}, ${n})`,
    predict(model, ticket, { status, n }) {
      const refused = refusal(model, ticket);
      if (refused !== undefined) return rejected("ECacheTicket", refused);
      const entry = model.entries.get(ticket.key);
      if (entry === undefined) return rejected("ECacheNotFound", RULES.entry);
      if (entry.revision !== ticket.seen) {
        return rejected("ECacheTicket", `${RULES.fenced} (entry moved on to revision ${entry.revision})`);
      }
      const revision = entry.revision + 1;
      model.entries.set(ticket.key, { ...entry, revision, status, value: { by: ticket.process, n } });
      ticket.seen = revision;
      return ok(revision, RULES.revision);
    },
    perform: (cache, ticket, { process }, { status, n }) =>
      cache.updateEntry(ticket, status, { by: process, n }),
  });
}
