/**
 * `openTicket(key, revision, d)` at the model's current revision of the key, or one behind
 * (stale: superseded) or ahead (future: missing).
 */
import fc from "fast-check";
import type { ModelConfig } from "../model.js";
import type { Op } from "../op.js";
import { durationArbitrary } from "../time-steps.js";
import { boundGrant } from "./grant.js";

const WHICH = { current: 0, stale: -1, future: 1 } as const;

export function openTicketOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc
    .record({
      process,
      key: fc.constantFrom(...config.keys),
      // mostly the current revision: that is the one a racing orchestrator asks for
      which: fc.oneof(
        { arbitrary: fc.constant("current" as const), weight: 4 },
        { arbitrary: fc.constantFrom("stale" as const, "future" as const), weight: 1 },
      ),
      durationMs: durationArbitrary,
    })
    .map(({ process: p, key, which, durationMs }) => ({
      process: p,
      toString: () => `p${p}.openTicket(${key}, ${which}, ${durationMs})`,
      bind: (model, allocate) => {
        const current = model.entries.get(key)?.revision ?? 1;
        const asked = Math.max(0, current + WHICH[which]);
        return boundGrant(
          `p${p}.openTicket(${key}, ${asked}, ${durationMs})`,
          { process: p, key, asked, durationMs },
          allocate,
        );
      },
    }));
}
