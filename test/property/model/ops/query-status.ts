/**
 * `queryStatus(statuses, options)`: entries with those statuses, oldest created first; entries
 * whose key has a live ticket are left out unless `includeOpenTickets`.
 */
import fc from "fast-check";
import { liveLease, type Model, type ModelConfig } from "../model.js";
import { cacheOf, type Op } from "../op.js";
import { observe, ok, RULES } from "../outcome.js";

export interface StatusAsk {
  readonly statuses: readonly string[];
  readonly includeOpenTickets: boolean;
  readonly limit: number | undefined;
}

/** What the model says queryStatus returns: key, revision and status of each entry. */
export function expectedStatusQuery(model: Model, ask: StatusAsk) {
  const found = [...model.entries]
    .filter(
      ([key, entry]) =>
        ask.statuses.includes(entry.status) && (ask.includeOpenTickets || !liveLease(model, key)),
    )
    .sort(([, a], [, b]) => a.seq - b.seq)
    .map(([key, entry]) => ({ key, revision: entry.revision, status: entry.status }));
  return ask.limit === undefined ? found : found.slice(0, ask.limit);
}

export function queryStatusOp(config: ModelConfig, process: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc
    .record({
      process,
      statuses: fc.subarray([...config.statuses], { minLength: 1 }),
      includeOpenTickets: fc.boolean(),
      limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    })
    .map(({ process: p, ...ask }) => {
      const label = `p${p}.queryStatus(${JSON.stringify(ask)})`;
      return {
        process: p,
        toString: () => label,
        bind: () => ({
          label,
          process: p,
          predict: (model) => ok(expectedStatusQuery(model, ask), RULES.hidden),
          perform: (run) =>
            observe(async () => {
              const options = {
                includeOpenTickets: ask.includeOpenTickets,
                ...(ask.limit === undefined ? {} : { limit: ask.limit }),
              };
              const entries = await cacheOf(run, p).queryStatus(ask.statuses, options);
              return entries.map((e) => ({ key: e.key, revision: e.revision, status: e.status }));
            }),
        }),
      };
    });
}
