/** `closeTicket(t)`: releases the key at once; a no-op for refused, closed or expired tickets. */
import fc from "fast-check";
import type { Op } from "../op.js";
import { ok, RULES } from "../outcome.js";
import { ownTicketOp } from "./ticket-op.js";

export function closeTicketOp(process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, fc.constant(undefined), {
    describe: () => "closeTicket()",
    predict(model, ticket) {
      if (ticket.outcome === "granted" && !ticket.closed) {
        ticket.closed = true;
        const lease = model.leases.get(ticket.key);
        // the store releases the lease only if this ticket still holds it
        if (lease?.ticket === ticket.id) lease.released = true;
      }
      return ok("closed", RULES.exclusive);
    },
    async perform(cache, ticket) {
      await cache.closeTicket(ticket);
      return "closed";
    },
  });
}
