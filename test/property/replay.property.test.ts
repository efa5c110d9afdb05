/**
 * Replay: a failing property prints its seed, path and (for command sequences) replayPath as
 * environment variables, and running with them reproduces exactly that failing case at once.
 * Shown on mutant (a), whose failure is certain.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { multiProcessProperty } from "./model/multi-process-property.js";
import { GrantIgnoresHolderStore } from "./mutants/grant-ignores-holder.js";
import { localRaceTarget } from "./support/local-race-target.js";
import {
  assertProperty,
  commandsReplayPath,
  propertyParameters,
  propertyRuns,
  propertySeed,
} from "./support/property-params.js";

/**
 * The commands of a fast-check report's counterexample (after the scheduler's log, whose order
 * of releases inside a race may differ between runs when calls reach their gates at other times).
 */
function counterexample(report: string): string | undefined {
  return /Counterexample: \[schedulerFor\(\)`[\s\S]*?`,(.*)\]\n/.exec(report)?.[1];
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("property parameters from the environment", () => {
  it("reads runs, seed, path and replayPath; rejects what is not a number", () => {
    vi.stubEnv("JOBCACHE_PROPERTY_RUNS", "7");
    vi.stubEnv("JOBCACHE_PROPERTY_SEED", "-12");
    vi.stubEnv("JOBCACHE_PROPERTY_PATH", "3:1:0");
    vi.stubEnv("JOBCACHE_PROPERTY_REPLAY_PATH", "AAB");
    expect(propertyRuns(100)).toBe(7);
    expect(propertySeed()).toBe(-12);
    expect(propertyParameters(7)).toEqual({ seed: -12, numRuns: 7, path: "3:1:0", endOnFailure: true });
    expect(commandsReplayPath()).toBe("AAB");
    vi.stubEnv("JOBCACHE_PROPERTY_RUNS", "many");
    expect(() => propertyRuns(100)).toThrow(/JOBCACHE_PROPERTY_RUNS must be an integer/);
  });

  it("defaults to vitest.config.ts's fixed seed and each property's own budget", () => {
    vi.stubEnv("JOBCACHE_PROPERTY_RUNS", "");
    vi.stubEnv("JOBCACHE_PROPERTY_SEED", "");
    vi.stubEnv("JOBCACHE_PROPERTY_PATH", "");
    expect(propertyRuns(25)).toBe(25);
    expect(propertySeed()).toBe(20261125);
    expect(propertyParameters(25)).toEqual({ seed: 20261125, numRuns: 25 });
  });
});

describe("a failing case replays from what it prints", () => {
  it("prints seed, path and replayPath; with them the same commands fail the same way on the first run", async () => {
    const target = localRaceTarget(3, (clock) => new GrantIgnoresHolderStore(clock), "mutant-a");
    try {
      const failure = await assertProperty(
        multiProcessProperty(target, { keys: 2, maxCommands: 30 }),
        { seed: 4242, numRuns: 100 },
        "test/property/replay.property.test.ts",
      ).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toContain("Replay this case with:");
      const line =
        /JOBCACHE_PROPERTY_SEED=(\S+) JOBCACHE_PROPERTY_PATH=(\S+) JOBCACHE_PROPERTY_REPLAY_PATH=(\S+) npx vitest run test\/property\/replay\.property\.test\.ts/.exec(
          failure?.message ?? "",
        );
      expect(line, failure?.message).not.toBeNull();
      const [, seed, path, replayPath] = line!;
      expect(seed).toBe("4242");
      const printed = counterexample(failure!.message);
      expect(printed).toContain("openNewTicket");

      vi.stubEnv("JOBCACHE_PROPERTY_SEED", seed!);
      vi.stubEnv("JOBCACHE_PROPERTY_PATH", path!);
      vi.stubEnv("JOBCACHE_PROPERTY_REPLAY_PATH", replayPath!);
      const replay = await fc.check(
        multiProcessProperty(target, { keys: 2, maxCommands: 30 }),
        propertyParameters(100),
      );
      expect(replay.failed).toBe(true);
      expect(replay.numRuns).toBe(1);
      expect(counterexample(fc.defaultReportMessage(replay) ?? "")).toBe(printed);
      expect((replay.errorInstance as Error | undefined)?.message).toBe(
        (failure?.cause as Error | undefined)?.message,
      );
    } finally {
      await target.close();
    }
  }, 60_000);
});
