/** `deleteEntry(t)`: only the live holder, fenced like an update; the key is unknown afterwards. */
import type fc from "fast-check";
import type { Op } from "../op.js";
import { ok, RULES, rejected } from "../outcome.js";
import { refusal } from "../ticket-rules.js";
import { closeArg, closedByWrite, closeLabel } from "./entry-value.js";
import { ownTicketOp } from "./ticket-op.js";

export function deleteEntryOp(process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, closeArg, {
    describe: (close) => `deleteEntry(${closeLabel(close).slice(2)})`,
    predict(model, ticket, close) {
      const refused = refusal(model, ticket);
      if (refused !== undefined) return rejected("ECacheTicket", refused);
      const entry = model.entries.get(ticket.key);
      if (entry === undefined) return rejected("ECacheNotFound", RULES.entry);
      if (entry.revision !== ticket.seen) {
        return rejected("ECacheTicket", `${RULES.fenced} (entry moved on to revision ${entry.revision})`);
      }
      model.entries.delete(ticket.key);
      ticket.seen = 0;
      closedByWrite(model, ticket, close);
      return ok("deleted", RULES.lastWrite);
    },
    async perform(cache, ticket, _context, close) {
      await cache.deleteEntry(ticket, { close });
      return "deleted";
    },
  });
}
