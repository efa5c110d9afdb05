/**
 * Three processes, each a manager with its own connection, racing on ONE SQLite file, against
 * the reference model; the database clock moves through a test-only `now()` offset.
 */
import { describeRace } from "./support/describe-race.js";
import { testFileOf } from "./support/property-params.js";
import { sqlRaceTarget } from "./support/sql-race-target.js";

const testFile = testFileOf(import.meta.url);

describeRace("SQLITE", () => sqlRaceTarget("SQLITE", 3, testFile), {
  runs: 60,
  maxCommands: 50,
  msPerRun: 400,
  testFile,
});
