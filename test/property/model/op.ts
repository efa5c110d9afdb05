/**
 * The shape of one operation of the multi-process model: generated as data by fast-check, bound
 * to the model's current tickets when it runs, then predicted by the model and performed on the
 * real caches. Each operation lives in its own file under ops/.
 * @module
 */
import type { CacheTicket, JobCache } from "../../../src/base/types.js";
import type { RaceSystem } from "../support/race-system.js";
import type { Coverage } from "./coverage.js";
import type { Model } from "./model.js";
import type { Outcome, Prediction } from "./outcome.js";

/** The real side of one run: the system, and the real ticket objects behind model tickets. */
export interface RaceRun {
  readonly system: RaceSystem;
  /** The latest object of each model ticket (a renewal returns a new object). */
  readonly tickets: Map<number, CacheTicket>;
  /** The store's lease id of each granted model ticket, to compare holders. */
  readonly storeIds: Map<number, string>;
  /**
   * Waits for `task`, releasing the gated store calls it (and anything racing it) makes, in the
   * order the run's scheduler picks: `scheduler.waitFor`.
   */
  settle<T>(task: Promise<T>): Promise<T>;
  /** Where matched outcomes are counted. */
  readonly coverage: Coverage;
}

/** An operation with its tickets chosen: ready to predict and to perform. */
export interface BoundOp {
  readonly label: string;
  readonly process: number;
  /** The model's answer; moves `model` (a copy, when a race is checked) to the state after it. */
  predict(model: Model): Prediction;
  /** Runs it on the real caches; never throws (errors are outcomes). */
  perform(run: RaceRun): Promise<Outcome>;
}

/** A generated operation, issued by one process. */
export interface Op {
  readonly process: number;
  toString(): string;
  /**
   * Chooses its ticket among the model's (undefined when there is none to choose: the command is
   * skipped) and, for opens, takes the new ticket's id from `allocate`.
   */
  bind(model: Model, allocate: () => number): BoundOp | undefined;
}

/** The cache of process `p`. */
export function cacheOf(run: RaceRun, p: number): JobCache<unknown> {
  const cache = run.system.caches[p];
  if (cache === undefined) throw new Error(`no process p${p}`);
  return cache;
}

/** The real object of model ticket `id`. */
export function realTicket(run: RaceRun, id: number): CacheTicket {
  const ticket = run.tickets.get(id);
  if (ticket === undefined) throw new Error(`ticket #${id} was never handed out by the real cache`);
  return ticket;
}
