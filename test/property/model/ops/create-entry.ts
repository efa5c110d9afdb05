/**
 * `createEntry(t, status, value)`: needs a live ticket from openNewTicket (a regular ticket whose
 * entry is gone may not create); the entry must not exist; revision 1.
 */
import type fc from "fast-check";
import type { ModelConfig } from "../model.js";
import type { Op } from "../op.js";
import { ok, RULES, rejected } from "../outcome.js";
import { clientRefusal, storeRefusal } from "../ticket-rules.js";
import { closedByWrite, closeLabel, writeArgs } from "./entry-value.js";
import { ownTicketOp } from "./ticket-op.js";

export function createEntryOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return ownTicketOp(process, writeArgs(config), {
    describe: ({ status, n, close }) => `createEntry(${status}, ${n}${closeLabel(close)})`,
    predict(model, ticket, { status, n, close }) {
      const client = clientRefusal(model, ticket);
      if (client !== undefined) return rejected("ECacheTicket", client);
      if (!ticket.forCreate && ticket.seen === 0) {
        return rejected("ECacheTicket", `${RULES.fenced} (a regular ticket may not create)`);
      }
      const store = storeRefusal(model, ticket);
      if (store !== undefined) return rejected("ECacheTicket", store);
      if (model.entries.has(ticket.key)) return rejected("ECacheDuplicate", RULES.entry);
      model.seq += 1;
      model.entries.set(ticket.key, {
        revision: 1,
        status,
        value: { by: ticket.process, n },
        seq: model.seq,
      });
      ticket.seen = 1;
      closedByWrite(model, ticket, close);
      return ok(1, RULES.revision);
    },
    perform: (cache, ticket, { process }, { status, n, close }) =>
      cache.createEntry(ticket, status, { by: process, n }, { close }),
  });
}
