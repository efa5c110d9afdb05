/**
 * The shape shared by operations on one of the issuing process's own tickets (renew, close,
 * create, update, delete, read): which ticket is chosen, the label, and how outcomes are taken.
 * @module
 */
import fc from "fast-check";
import type { CacheTicket, JobCache } from "../../../../src/base/types.js";
import { type Model, type ModelTicket, pickTicket, ticketById, ticketsOf } from "../model.js";
import { cacheOf, type Op, type RaceRun, realTicket } from "../op.js";
import { observe, type Prediction } from "../outcome.js";

/** One ticket operation: its label, the model's rule, and the real call. */
export interface TicketAction<E> {
  describe(extra: E): string;
  /** Predicts on `model` (the ticket is `model`'s own copy) and moves it. */
  predict(model: Model, ticket: ModelTicket, extra: E): Prediction;
  /** Calls the real cache; what it resolves with is the outcome's value. */
  perform(
    cache: JobCache<unknown>,
    ticket: CacheTicket,
    context: { readonly run: RaceRun; readonly id: number; readonly process: number },
    extra: E,
  ): Promise<unknown>;
}

/** Issue the operation from whichever process owns the chosen ticket. */
export const TICKET_OWNER = -1;

/**
 * An operation of process `process` on one of its own tickets, with `extra` arguments; with
 * {@link TICKET_OWNER}, on any process's ticket, issued by its owner (single steps pick among
 * every held ticket, so a process's open is often followed by its writes).
 */
export function ownTicketOp<E>(
  process: fc.Arbitrary<number>,
  extra: fc.Arbitrary<E>,
  action: TicketAction<E>,
): fc.Arbitrary<Op> {
  return fc.record({ process, choice: fc.nat(), extra }).map(({ process: wanted, choice, extra: args }) => ({
    process: wanted,
    toString: () =>
      `${wanted === TICKET_OWNER ? "owner" : `p${wanted}`}.${action.describe(args)} on ticket ${choice}`,
    bind: (model: Model) => {
      const candidates = wanted === TICKET_OWNER ? model.tickets : ticketsOf(model, wanted);
      const chosen = pickTicket(model, candidates, choice);
      if (chosen === undefined) return undefined;
      const id = chosen.id;
      const p = chosen.process;
      return {
        label: `p${p}.${action.describe(args)} on #${id}`,
        process: p,
        predict: (current: Model) => action.predict(current, ticketById(current, id), args),
        perform: (run: RaceRun) =>
          observe(() => action.perform(cacheOf(run, p), realTicket(run, id), { run, id, process: p }, args)),
      };
    },
  }));
}
