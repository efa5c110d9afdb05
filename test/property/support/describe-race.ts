/**
 * The multi-process property as a describe block for one target: the same test on LOCAL and on
 * every SQL dialect, each with its own run budget (a SQL run does real I/O), and a check that a
 * full budget reached every interesting outcome.
 * @module
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coverage, REQUIRED_COVERAGE } from "../model/coverage.js";
import { multiProcessProperty } from "../model/multi-process-property.js";
import { assertProperty, propertyParameters, propertyRuns, timeoutFor } from "./property-params.js";
import type { RaceTarget } from "./race-system.js";

/** Options of {@link describeRace}. */
export interface DescribeRaceOptions {
  /** Runs per property unless JOBCACHE_PROPERTY_RUNS says otherwise. */
  readonly runs: number;
  /** Commands per run at most. */
  readonly maxCommands: number;
  /** Rough cost of one run, for the timeout. */
  readonly msPerRun: number;
  /** The key counts to run the property with, one test each. @defaultValue [2] */
  readonly keys?: readonly number[];
  /** The test file, for the replay line printed on failure. */
  readonly testFile: string;
}

/** Defines `name`'s describe block: `open` runs once before its tests, the target closes after. */
export function describeRace(
  name: string,
  open: () => Promise<RaceTarget>,
  options: DescribeRaceOptions,
): void {
  const runs = propertyRuns(options.runs);
  describe(`${name}: processes racing on one store, against the model`, () => {
    let target: RaceTarget | undefined;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      await target?.close();
    });
    for (const keys of options.keys ?? [2]) {
      it(
        `${keys} keys: one live ticket per key, fenced writes, +1 revisions, queries as the model says`,
        async () => {
          if (target === undefined) throw new Error("the race target did not open");
          const coverage = new Coverage();
          const property = multiProcessProperty(target, { keys, maxCommands: options.maxCommands }, coverage);
          await assertProperty(property, propertyParameters(runs), options.testFile);
          if (process.env.JOBCACHE_PROPERTY_STATS !== undefined)
            console.log(`${name}, ${keys} keys:\n${coverage}`);
          // a full budget must have reached every interesting case (replays and tiny budgets need not)
          if (runs >= options.runs && process.env.JOBCACHE_PROPERTY_PATH === undefined) {
            expect(coverage.missing(REQUIRED_COVERAGE), `outcomes seen:\n${coverage}`).toEqual([]);
          }
        },
        timeoutFor(runs, options.msPerRun),
      );
    }
  });
}
