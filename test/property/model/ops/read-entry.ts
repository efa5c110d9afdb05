/** `readEntry(t)`: the entry under a live ticket; ECacheNotFound when it is not there. */
import fc from "fast-check";
import type { Op } from "../op.js";
import { ok, RULES, rejected } from "../outcome.js";
import { refusal } from "../ticket-rules.js";
import { ownTicketOp } from "./ticket-op.js";

export function readEntryOp(process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, fc.constant(undefined), {
    describe: () => "readEntry()",
    predict(model, ticket) {
      const refused = refusal(model, ticket);
      if (refused !== undefined) return rejected("ECacheTicket", refused);
      const entry = model.entries.get(ticket.key);
      if (entry === undefined) return rejected("ECacheNotFound", RULES.entry);
      ticket.seen = entry.revision;
      return ok({ revision: entry.revision, status: entry.status, value: entry.value }, RULES.lastWrite);
    },
    async perform(cache, ticket) {
      const entry = await cache.readEntry(ticket);
      return { revision: entry.revision, status: entry.status, value: entry.value };
    },
  });
}
