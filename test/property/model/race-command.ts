/**
 * Two or three operations of different processes started together: their store calls start in
 * the order the scheduler picks and run concurrently (on SQL, really at once on the database).
 * The outcomes must fit some serial order of the model (see linearize.ts).
 */
import type fc from "fast-check";
import { checkInvariants } from "./invariants.js";
import { linearize } from "./linearize.js";
import { assignModel, type Model } from "./model.js";
import { cacheOf, type Op, type RaceRun } from "./op.js";

export class RaceCommand implements fc.AsyncCommand<Model, RaceRun> {
  constructor(readonly ops: readonly Op[]) {}

  check(model: Readonly<Model>): boolean {
    return this.ops.every((op) => op.bind(model as Model, () => 0) !== undefined);
  }

  async run(model: Model, run: RaceRun): Promise<void> {
    const bound = this.ops.map((op) => {
      const b = op.bind(model, () => model.nextTicket++);
      if (b === undefined) throw new Error(`${op} ran although it has no ticket to use`);
      return b;
    });
    const observed = await run.settle(Promise.all(bound.map((op) => op.perform(run))));
    const storeOrder = async () => {
      const all = await cacheOf(run, 0).queryStatus(model.config.statuses, { includeOpenTickets: true });
      return all.map((entry) => entry.key);
    };
    const result = await linearize(model, bound, observed, () => run.settle(storeOrder()));
    if ("error" in result) throw new Error(result.error);
    assignModel(model, result.model);
    run.coverage.add(`race of ${bound.length}`);
    bound.forEach((op, i) => {
      run.coverage.record(op.label, observed[i]!, result.predictions[i]!.rule);
    });
    await run.settle(checkInvariants(model, run));
  }

  toString(): string {
    return `race(${this.ops.join(" | ")})`;
  }
}
