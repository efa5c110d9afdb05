/**
 * Ticket operations with a ticket the cache did not grant (a plain-object forgery, or another
 * process's real ticket): every operation throws ECacheTicket, closing does nothing, and
 * nothing changes, whatever the ticket it copies still holds.
 * @module
 */
import fc from "fast-check";
import type { CacheTicket, JobCache } from "../../../../src/base/types.js";
import { forgeTicket } from "../../../../src/testing/fixtures.js";
import { type Model, type ModelTicket, pickTicket } from "../model.js";
import { cacheOf, type Op, realTicket } from "../op.js";
import { observe, ok, RULES, rejected } from "../outcome.js";
import { DURATIONS } from "../time-steps.js";

export type MisuseAction = "create" | "update" | "delete" | "read" | "renew" | "close";

const ACTIONS: readonly MisuseAction[] = ["create", "update", "delete", "read", "renew", "close"];

async function act(
  cache: JobCache<unknown>,
  ticket: CacheTicket,
  action: MisuseAction,
  by: number,
): Promise<unknown> {
  switch (action) {
    case "create":
      return cache.createEntry(ticket, "QUEUED", { by, n: -1 });
    case "update":
      return cache.updateEntry(ticket, "QUEUED", { by, n: -1 });
    case "delete":
      return cache.deleteEntry(ticket);
    case "read":
      return (await cache.readEntry(ticket)).revision;
    case "renew":
      return (await cache.renewTicket(ticket, DURATIONS[0])).expiry.getTime();
    case "close":
      await cache.closeTicket(ticket);
      return "closed";
  }
}

/**
 * Process `process` misuses a ticket chosen from `candidates(model, p)`: `forge` makes the object
 * it passes from the real ticket (a copy, or the ticket itself for another process's).
 */
export function misuseOp(
  kind: string,
  process: fc.Arbitrary<number>,
  candidates: (model: Model, p: number) => ModelTicket[],
  forge: (ticket: CacheTicket) => CacheTicket,
): fc.Arbitrary<Op> {
  return fc
    .record({ process, choice: fc.nat(), action: fc.constantFrom(...ACTIONS) })
    .map(({ process: p, choice, action }) => ({
      process: p,
      toString: () => `p${p}.${action} with ${kind} ticket ${choice}`,
      bind: (model: Model) => {
        const chosen = pickTicket(model, candidates(model, p), choice);
        if (chosen === undefined) return undefined;
        const id = chosen.id;
        return {
          label: `p${p}.${action} with ${kind} #${id}`,
          process: p,
          predict: () =>
            action === "close"
              ? ok("closed", `${RULES.exclusive} (closing a ${kind} ticket releases nothing)`)
              : rejected("ECacheTicket", `${RULES.fenced} (${kind} ticket)`),
          perform: (run) => observe(() => act(cacheOf(run, p), forge(realTicket(run, id)), action, p)),
        };
      },
    }));
}

/** A plain object copy of a real ticket, used by its own process. */
export function forgedTicketOp(process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return misuseOp("forged", process, (model, p) => model.tickets.filter((t) => t.process === p), forgeTicket);
}

/** Another process's real ticket, used through this process's cache (another manager). */
export function foreignTicketOp(process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return misuseOp(
    "foreign",
    process,
    (model, p) => model.tickets.filter((t) => t.process !== p),
    (t) => t,
  );
}
