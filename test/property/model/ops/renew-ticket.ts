/** `renewTicket(t, d)`: extends a live ticket to now + d; a ticket that is not live stays dead. */
import type fc from "fast-check";
import { clientNow } from "../model.js";
import type { Op } from "../op.js";
import { ok, RULES, rejected } from "../outcome.js";
import { clientRefusal, storeRefusal } from "../ticket-rules.js";
import { durationArbitrary } from "../time-steps.js";
import { ownTicketOp } from "./ticket-op.js";

export function renewTicketOp(process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, durationArbitrary, {
    describe: (durationMs) => `renewTicket(${durationMs})`,
    predict(model, ticket, durationMs) {
      const refused = clientRefusal(model, ticket) ?? storeRefusal(model, ticket);
      if (refused !== undefined) return rejected("ECacheTicket", `${RULES.renew}; ${refused}`);
      const lease = model.leases.get(ticket.key)!;
      lease.expiry = model.now + durationMs;
      ticket.deadline = clientNow(model, ticket.process) + durationMs;
      return ok("renewed", RULES.renew);
    },
    async perform(cache, ticket, { run, id }, durationMs) {
      run.tickets.set(id, await cache.renewTicket(ticket, durationMs));
      return "renewed";
    },
  });
}
