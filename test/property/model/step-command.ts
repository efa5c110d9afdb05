/** One operation by one process, compared with the model's prediction, then every invariant. */
import type fc from "fast-check";
import { checkInvariants } from "./invariants.js";
import type { Model } from "./model.js";
import type { Op, RaceRun } from "./op.js";
import { sameOutcome, showOutcome } from "./outcome.js";

export class StepCommand implements fc.AsyncCommand<Model, RaceRun> {
  constructor(readonly op: Op) {}

  check(model: Readonly<Model>): boolean {
    return this.op.bind(model as Model, () => 0) !== undefined;
  }

  async run(model: Model, run: RaceRun): Promise<void> {
    const bound = this.op.bind(model, () => model.nextTicket++);
    if (bound === undefined) throw new Error(`${this.op} ran although it has no ticket to use`);
    const expected = bound.predict(model);
    const observed = await run.settle(bound.perform(run));
    if (!sameOutcome(expected.outcome, observed)) {
      throw new Error(
        `[${expected.rule}] ${bound.label}: expected ${showOutcome(expected.outcome)}, got ${showOutcome(observed)}`,
      );
    }
    run.coverage.record(bound.label, observed, expected.rule);
    await run.settle(checkInvariants(model, run));
  }

  toString(): string {
    return String(this.op);
  }
}
