/**
 * Moving time without sleeping: every clock at once, the store's clock alone while one process
 * is paused (GC, suspended VM: its clock falls behind), or a paused process catching up.
 */
import type fc from "fast-check";
import { checkInvariants } from "./invariants.js";
import type { Model } from "./model.js";
import type { RaceRun } from "./op.js";

async function applyTime(model: Model, run: RaceRun): Promise<void> {
  await run.system.setTime(model.now, model.lags);
  await run.settle(checkInvariants(model, run));
}

/** Every clock moves `ms` forward. */
export class AdvanceTimeCommand implements fc.AsyncCommand<Model, RaceRun> {
  constructor(readonly ms: number) {}
  check = (): boolean => true;
  async run(model: Model, run: RaceRun): Promise<void> {
    model.now += this.ms;
    await applyTime(model, run);
  }
  toString = (): string => `advanceTime(${this.ms})`;
}

/** The store's clock (and every other process's) moves `ms`; process `p`'s clock stays behind. */
export class PauseProcessCommand implements fc.AsyncCommand<Model, RaceRun> {
  constructor(
    readonly process: number,
    readonly ms: number,
  ) {}
  check = (): boolean => true;
  async run(model: Model, run: RaceRun): Promise<void> {
    model.now += this.ms;
    model.lags[this.process] = (model.lags[this.process] ?? 0) + this.ms;
    await applyTime(model, run);
  }
  toString = (): string => `pause(p${this.process}, ${this.ms})`;
}

/** Process `p`'s clock jumps forward to the store's again. */
export class ResumeProcessCommand implements fc.AsyncCommand<Model, RaceRun> {
  constructor(readonly process: number) {}
  check = (model: Readonly<Model>): boolean => (model.lags[this.process] ?? 0) > 0;
  async run(model: Model, run: RaceRun): Promise<void> {
    model.lags[this.process] = 0;
    await applyTime(model, run);
  }
  toString = (): string => `resume(p${this.process})`;
}
