/** `queryKey(key)`: the last committed write, never blocked by tickets. */
import fc from "fast-check";
import type { Model, ModelConfig } from "../model.js";
import { cacheOf, type Op } from "../op.js";
import { observe, ok, RULES } from "../outcome.js";

/** What the model says queryKey returns. */
export function expectedEntry(model: Model, key: string) {
  const entry = model.entries.get(key);
  return entry === undefined ? null : { revision: entry.revision, status: entry.status, value: entry.value };
}

export function queryKeyOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc.record({ process, key: fc.constantFrom(...config.keys) }).map(({ process: p, key }) => {
    const label = `p${p}.queryKey(${key})`;
    return {
      process: p,
      toString: () => label,
      bind: () => ({
        label,
        process: p,
        predict: (model) => ok(expectedEntry(model, key), RULES.lastWrite),
        perform: (run) =>
          observe(async () => {
            const entry = await cacheOf(run, p).queryKey(key);
            return entry === undefined
              ? null
              : { revision: entry.revision, status: entry.status, value: entry.value };
          }),
      }),
    };
  });
}
