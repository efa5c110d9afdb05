/**
 * Checks a race: operations of different processes ran at the same time, so the real outcomes
 * must be those of SOME serial order of them (linearizability). Each order is tried on a copy
 * of the model; the one that fits becomes the model. Entries created by the same race are
 * "created at once": their relative creation order (which queryStatus lists them in) is the
 * order the store gave them, whatever serial order explains the outcomes; a concurrent create
 * can take its place in the store's order before it commits.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { cloneModel, type Model } from "./model.js";
import type { BoundOp } from "./op.js";
import { type Outcome, type Prediction, sameOutcome, showOutcome } from "./outcome.js";

function permutations(n: number): number[][] {
  if (n <= 1) return [[0].slice(0, n)];
  return permutations(n - 1).flatMap((rest) =>
    Array.from({ length: n }, (_, at) => [...rest.slice(0, at), n - 1, ...rest.slice(at)]),
  );
}

/** The model after the ops in `order`, and what it predicted for each op (by op index). */
function replay(model: Model, ops: readonly BoundOp[], order: readonly number[]) {
  const copy = cloneModel(model);
  const predictions = new Map<number, Prediction>();
  for (const i of order) predictions.set(i, ops[i]!.predict(copy));
  copy.tickets.sort((a, b) => a.id - b.id);
  return { model: copy, predictions };
}

/** Keys in creation order. */
export function creationOrder(model: Model): string[] {
  return [...model.entries].sort(([, a], [, b]) => a.seq - b.seq).map(([key]) => key);
}

/** Keys of entries created after creation number `since`. */
function createdSince(model: Model, since: number): string[] {
  return [...model.entries].filter(([, entry]) => entry.seq > since).map(([key]) => key);
}

/** `model` with the creation numbers of entries created after `since` blanked, for comparing. */
function withoutRaceOrder(model: Model, since: number): Model {
  const copy = cloneModel(model);
  for (const [key, entry] of copy.entries) if (entry.seq > since) copy.entries.set(key, { ...entry, seq: 0 });
  return copy;
}

/**
 * Gives the entries created after `since` their creation numbers in the order the store lists
 * them (`storeOrder`), when it lists them all; otherwise leaves them for the invariants to judge.
 */
function adoptStoreOrder(model: Model, since: number, storeOrder: readonly string[]): void {
  const created = createdSince(model, since);
  if (!created.every((key) => storeOrder.includes(key))) return;
  const numbers = created.map((key) => model.entries.get(key)!.seq).sort((a, b) => a - b);
  const inStoreOrder = storeOrder.filter((key) => created.includes(key));
  inStoreOrder.forEach((key, i) => {
    model.entries.set(key, { ...model.entries.get(key)!, seq: numbers[i]! });
  });
}

/** Result of {@link linearize}: the model after the race, or why no order fits. */
export type Linearized =
  | { readonly model: Model; readonly predictions: readonly Prediction[] }
  | { readonly error: string };

/**
 * The serial order of `ops` that explains `observed`, as the model after it. `storeOrder` gives
 * the store's creation order of keys, asked when the race created more than one entry.
 */
export async function linearize(
  model: Model,
  ops: readonly BoundOp[],
  observed: readonly Outcome[],
  storeOrder: () => Promise<string[]>,
): Promise<Linearized> {
  const fitting: { model: Model; predictions: Map<number, Prediction> }[] = [];
  const tried: string[] = [];
  for (const order of permutations(ops.length)) {
    const { model: after, predictions } = replay(model, ops, order);
    if (order.every((i) => sameOutcome(predictions.get(i)!.outcome, observed[i]!))) {
      fitting.push({ model: after, predictions });
    } else {
      const steps = order.map(
        (i) =>
          `${ops[i]!.label} => ${showOutcome(predictions.get(i)!.outcome)} [${predictions.get(i)!.rule}]`,
      );
      tried.push(`  ${steps.join("; ")}`);
    }
  }
  const seen = ops.map((op, i) => `${op.label} => ${showOutcome(observed[i]!)}`).join("; ");
  if (fitting.length === 0) {
    return {
      error:
        `[linearizable] a race must match some serial order of the model; this one matches none.\n observed: ${seen}\n` +
        ` serial orders predict:\n${tried.join("\n")}`,
    };
  }
  const since = model.seq;
  const [chosen] = fitting;
  const comparable = withoutRaceOrder(chosen!.model, since);
  if (fitting.some((c) => !isDeepStrictEqual(withoutRaceOrder(c.model, since), comparable))) {
    return { error: `race fits several serial orders that end in different states: ${seen}` };
  }
  if (createdSince(chosen!.model, since).length > 1)
    adoptStoreOrder(chosen!.model, since, await storeOrder());
  return { model: chosen!.model, predictions: ops.map((_, i) => chosen!.predictions.get(i)!) };
}
