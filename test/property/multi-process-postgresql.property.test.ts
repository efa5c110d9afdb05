/**
 * Three processes, each a manager with its own pool, racing on ONE PostgreSQL schema, against
 * the reference model. Races really run at once on the server.
 */
import { afterAll } from "vitest";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { describeRace } from "./support/describe-race.js";
import { testFileOf } from "./support/property-params.js";
import { sqlRaceTarget } from "./support/sql-race-target.js";

const testFile = testFileOf(import.meta.url);

afterAll(stopFallbackPostgres);

describeRace("POSTGRESQL", () => sqlRaceTarget("POSTGRESQL", 3, testFile), {
  runs: 60,
  maxCommands: 50,
  msPerRun: 600,
  testFile,
});
