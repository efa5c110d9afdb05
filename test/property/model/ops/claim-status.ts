/**
 * `claimStatus(statuses, d, { limit })`: tickets on the oldest entries of those statuses whose
 * key no live ticket holds, each as openTicket at the entry's revision would grant. Its outcome
 * is the claimed keys and revisions, so a claim that returned a held key, or skipped a free one,
 * matches no serial order of a race.
 */
import fc from "fast-check";
import { ticketState } from "../../../../src/manager/ticket.js";
import { clientNow, liveLease, type ModelConfig } from "../model.js";
import { cacheOf, type Op } from "../op.js";
import { observe, ok, RULES } from "../outcome.js";
import { durationArbitrary } from "../time-steps.js";

export function claimStatusOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc
    .record({
      process,
      statuses: fc.subarray([...config.statuses], { minLength: 1 }),
      limit: fc.integer({ min: 1, max: 3 }),
      durationMs: durationArbitrary,
    })
    .map(({ process: p, statuses, limit, durationMs }) => {
      const label = `p${p}.claimStatus(${JSON.stringify(statuses)}, ${durationMs}, { limit: ${limit} })`;
      return {
        process: p,
        toString: () => label,
        bind: (_model, allocate) => {
          const ids = Array.from({ length: limit }, () => allocate());
          return {
            label: `${label} -> #${ids.join(", #")}`,
            process: p,
            predict(model) {
              const free = [...model.entries]
                .filter(
                  ([key, entry]) => statuses.includes(entry.status) && liveLease(model, key) === undefined,
                )
                .sort(([, a], [, b]) => a.seq - b.seq)
                .slice(0, limit);
              const sentAt = clientNow(model, p);
              for (const [n, [key, entry]] of free.entries()) {
                const id = ids[n]!;
                model.tickets.push({
                  id,
                  process: p,
                  key,
                  forCreate: false,
                  outcome: "granted",
                  deadline: sentAt + durationMs,
                  seen: entry.revision,
                  closed: false,
                });
                model.leases.set(key, { ticket: id, expiry: model.now + durationMs, released: false });
              }
              return ok(
                // the status too: a claim must never hand out an entry that moved to another status
                free.map(([key, entry]) => [key, entry.revision, entry.status]),
                RULES.claim,
              );
            },
            perform: (run) =>
              observe(async () => {
                const claimed = await cacheOf(run, p).claimStatus(statuses, durationMs, { limit });
                for (const [n, { ticket }] of claimed.entries()) {
                  const id = ids[n]!;
                  run.tickets.set(id, ticket);
                  const storeId = ticketState(ticket)?.grant?.ticketId;
                  if (storeId !== undefined) run.storeIds.set(id, storeId);
                }
                return claimed.map(({ entry }) => [entry.key, entry.revision, entry.status]);
              }),
          };
        },
      };
    });
}
