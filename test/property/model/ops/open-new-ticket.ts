/** `openNewTicket(key, d)`: granted only if no entry and no live ticket exist. */
import fc from "fast-check";
import type { ModelConfig } from "../model.js";
import type { Op } from "../op.js";
import { durationArbitrary } from "../time-steps.js";
import { boundGrant } from "./grant.js";

export function openNewTicketOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc
    .record({ process, key: fc.constantFrom(...config.keys), durationMs: durationArbitrary })
    .map(({ process: p, key, durationMs }) => {
      const label = `p${p}.openNewTicket(${key}, ${durationMs})`;
      return {
        process: p,
        toString: () => label,
        bind: (_model, allocate) => boundGrant(label, { process: p, key, asked: null, durationMs }, allocate),
      };
    });
}
