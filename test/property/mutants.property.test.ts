/**
 * Each property can fail: the SAME multi-process property (and the ticket actor property) run
 * with fc.check against mutated copies of the LOCAL store, each carrying one bug, must fail,
 * naming the rule the bug breaks; the unmutated store (and the mutants' wrapper without a bug)
 * passes with the same seed and budget.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { multiProcessProperty } from "./model/multi-process-property.js";
import { RULES } from "./model/outcome.js";
import { DelegatingStore } from "./mutants/delegating-store.js";
import { GrantIgnoresHolderStore } from "./mutants/grant-ignores-holder.js";
import { MUTANTS } from "./mutants/index.js";
import { actorViolations } from "./support/actor-invariants.js";
import { actorScenarioArbitrary } from "./support/actor-plan.js";
import { runActorScenario } from "./support/actor-scenario.js";
import { type LocalStoreFactory, localRaceTarget, localStoreFactory } from "./support/local-race-target.js";
import { propertySeed } from "./support/property-params.js";

/** Runs each mutant gets to show its bug; the worst seen over 40 seeds was under 200. */
const BUDGET = 500;
/** CPU-bound cases: seconds alone, over a minute on a loaded 2-core machine. */
const CASE_TIMEOUT_MS = 300_000;

/** The rule each mutant's failure must name. */
const BROKEN_RULE: Record<string, string> = {
  "grant-ignores-holder": RULES.exclusive,
  "write-ignores-expiry": "expired by the store's clock",
  "renew-revives-expired": RULES.renew,
  "query-shows-held": RULES.hidden,
  "close-keeps-lease": RULES.exclusive,
  "claim-ignores-holder": RULES.claim,
};

async function checkModel(makeStore: LocalStoreFactory, name: string) {
  const target = localRaceTarget(3, makeStore, name);
  try {
    // endOnFailure: the first counterexample proves the point; shrinking it would only cost time
    return await fc.check(multiProcessProperty(target, { keys: 2, maxCommands: 60 }), {
      seed: propertySeed(),
      numRuns: BUDGET,
      endOnFailure: true,
    });
  } finally {
    await target.close();
  }
}

function failureText<Ts>(details: fc.RunDetails<Ts>): string {
  const error = details.errorInstance;
  return error instanceof Error ? error.message : String(error);
}

describe("mutants: the multi-process property fails against each bug", { timeout: CASE_TIMEOUT_MS }, () => {
  for (const mutant of MUTANTS) {
    it(`${mutant.bug}: fails, naming the rule it breaks`, async () => {
      const details = await checkModel(mutant.makeStore, mutant.name);
      expect(details.failed, `${mutant.name} survived ${BUDGET} runs`).toBe(true);
      expect(failureText(details)).toContain(BROKEN_RULE[mutant.name]);
    });
  }

  it("the unmutated LOCAL store passes with the same seed and budget", async () => {
    const details = await checkModel(localStoreFactory, "LOCAL");
    expect(details.failed, fc.defaultReportMessage(details)).toBe(false);
    expect(details.numRuns).toBe(BUDGET);
  });

  it("the mutants' wrapper without a bug passes too: the failures come from the bugs", async () => {
    const details = await checkModel((clock) => new DelegatingStore(clock), "delegating");
    expect(details.failed, fc.defaultReportMessage(details)).toBe(false);
  });
});

describe("mutants: the ticket actor property fails against a grant that ignores a live holder", () => {
  const actorProperty = (makeStore: LocalStoreFactory) =>
    fc.asyncProperty(actorScenarioArbitrary, async (scenario) => {
      const violations = actorViolations(await runActorScenario(scenario, makeStore));
      if (violations.length > 0) throw new Error(violations.join("\n"));
    });

  it("(a) fails: two actors hold the key at once", async () => {
    const details = await fc.check(
      actorProperty((clock) => new GrantIgnoresHolderStore(clock)),
      {
        seed: propertySeed(),
        numRuns: BUDGET,
        endOnFailure: true,
      },
    );
    expect(details.failed).toBe(true);
    expect(failureText(details)).toMatch(/while actor\(s\) \d+(, \d+)* hold the key live/);
  });
});
