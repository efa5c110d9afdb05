/**
 * The ticket and job statecharts under fast-check: several ticket actors (runTicketStep) for
 * ONE key of a LOCAL cache, each its own manager, on a fake timeline with late heartbeats,
 * failing or refused renewals and stalls that pass deadlines mid-step. Each step is the one the
 * job machine names for the entry's status. (One actor under random event orders is
 * test/unit/machines/ticket-machine.property.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actorViolations } from "./support/actor-invariants.js";
import { actorScenarioArbitrary } from "./support/actor-plan.js";
import { runActorScenario } from "./support/actor-scenario.js";
import {
  assertProperty,
  propertyParameters,
  propertyRuns,
  testFileOf,
  timeoutFor,
} from "./support/property-params.js";

const RUNS = propertyRuns(100);

describe("ticket actors racing for one key", () => {
  it(
    "never commit after expiry, never hold the key two at a time, and revisions count the commits",
    async () => {
      let committed = 0;
      let expired = 0;
      const property = fc.asyncProperty(actorScenarioArbitrary, async (scenario) => {
        const report = await runActorScenario(scenario);
        expect(actorViolations(report)).toEqual([]);
        committed += report.actors.filter((a) => a.outcome?.kind === "committed").length;
        expired += report.actors.filter((a) => a.outcome?.kind === "expired").length;
      });
      await assertProperty(property, propertyParameters(RUNS), testFileOf(import.meta.url));
      // the runs reached both endings, so the checks above were not vacuous
      expect(committed).toBeGreaterThan(0);
      expect(expired).toBeGreaterThan(0);
    },
    timeoutFor(RUNS, 100),
  );
});
