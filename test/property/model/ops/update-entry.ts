/**
 * `updateEntry(t, status, value)`: only the live holder, fenced on the revision it last saw;
 * the revision moves by exactly one, even for the same status and value.
 */
import type fc from "fast-check";
import type { ModelConfig } from "../model.js";
import type { Op } from "../op.js";
import { ok, RULES, rejected } from "../outcome.js";
import { refusal } from "../ticket-rules.js";
import { closedByWrite, closeLabel, writeArgs } from "./entry-value.js";
import { ownTicketOp } from "./ticket-op.js";

export function updateEntryOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, writeArgs(config), {
    describe: ({ status, n, close }) => `updateEntry(${status}, ${n}${closeLabel(close)})`,
    predict(model, ticket, { status, n, close }) {
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
      closedByWrite(model, ticket, close);
      return ok(revision, RULES.revision);
    },
    perform: (cache, ticket, { process }, { status, n, close }) =>
      cache.updateEntry(ticket, status, { by: process, n }, { close }),
  });
}
