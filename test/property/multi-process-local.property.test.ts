/**
 * Three orchestrator processes (managers with their own clocks) racing on a few keys of ONE
 * LOCAL store (shared through the test-only LOCAL_SHARED_TEST plugin), against the reference
 * model of test/property/model.
 */
import { describeRace } from "./support/describe-race.js";
import { localRaceTarget } from "./support/local-race-target.js";
import { testFileOf } from "./support/property-params.js";

describeRace("LOCAL", async () => localRaceTarget(3), {
  runs: 100,
  maxCommands: 60,
  msPerRun: 20,
  keys: [2, 3],
  testFile: testFileOf(import.meta.url),
});
