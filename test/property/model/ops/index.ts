/** Every operation of the multi-process model, weighted as one arbitrary per issuing process. */
import fc from "fast-check";
import type { ModelConfig } from "../model.js";
import type { Op } from "../op.js";
import { claimStatusOp } from "./claim-status.js";
import { closeTicketOp } from "./close-ticket.js";
import { createEntryOp } from "./create-entry.js";
import { deleteEntryOp } from "./delete-entry.js";
import { foreignTicketOp, forgedTicketOp } from "./misuse.js";
import { openNewTicketOp } from "./open-new-ticket.js";
import { openTicketOp } from "./open-ticket.js";
import { queryKeyOp } from "./query-key.js";
import { queryStatusOp } from "./query-status.js";
import { readEntryOp } from "./read-entry.js";
import { renewTicketOp } from "./renew-ticket.js";
import { updateEntryOp } from "./update-entry.js";

/**
 * One operation issued by a process drawn from `process`; operations on the issuer's own
 * tickets take theirs from `ticketProcess` (TICKET_OWNER: any ticket, issued by its owner).
 */
export function opArbitrary(
  config: ModelConfig,
  process: fc.Arbitrary<number>,
  ticketProcess: fc.Arbitrary<number> = process,
): fc.Arbitrary<Op> {
  return fc.oneof(
    { arbitrary: openNewTicketOp(config, process), weight: 4 },
    { arbitrary: openTicketOp(config, process), weight: 5 },
    { arbitrary: renewTicketOp(ticketProcess), weight: 3 },
    { arbitrary: closeTicketOp(ticketProcess), weight: 3 },
    { arbitrary: createEntryOp(config, ticketProcess), weight: 6 },
    { arbitrary: updateEntryOp(config, ticketProcess), weight: 7 },
    { arbitrary: deleteEntryOp(ticketProcess), weight: 1 },
    { arbitrary: readEntryOp(ticketProcess), weight: 2 },
    { arbitrary: queryKeyOp(config, process), weight: 1 },
    { arbitrary: queryStatusOp(config, process), weight: 1 },
    { arbitrary: claimStatusOp(config, process), weight: 3 },
    { arbitrary: forgedTicketOp(process), weight: 1 },
    { arbitrary: foreignTicketOp(process), weight: 1 },
  );
}
