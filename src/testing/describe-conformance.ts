import { afterEach, beforeEach, describe } from "vitest";
import { checkOrderCases } from "./check-order-cases.js";
import { claimCases } from "./claim-cases.js";
import { closeCases } from "./close-cases.js";
import type { ConformanceTarget } from "./conformance-target.js";
import { corruptionCases } from "./corruption-cases.js";
import { entryCases } from "./entries-cases.js";
import { errorCases } from "./errors-cases.js";
import { exclusivityCases } from "./exclusivity-cases.js";
import { expiryCases } from "./expiry-cases.js";
import { fencingCases } from "./fencing-cases.js";
import { managerCases } from "./managers-cases.js";
import { queryCases } from "./queries-cases.js";
import { renewCases } from "./renew-cases.js";
import { createSuiteContext, type DisposableSuiteContext, type SuiteContext } from "./suite-context.js";
import { ticketCases } from "./tickets-cases.js";
import { unknownTicketCases } from "./unknown-ticket-cases.js";
import { validationCases } from "./validation-cases.js";
import { valueCases } from "./values-cases.js";
import { writeCloseCases } from "./write-close-cases.js";

/** Every topic of the suite, in CONTRACT.md order. */
const TOPICS: ReadonlyArray<readonly [string, (get: () => SuiteContext) => void]> = [
  ["validation", validationCases],
  ["tickets", ticketCases],
  ["exclusivity", exclusivityCases],
  ["expiry", expiryCases],
  ["closeTicket", closeCases],
  ["renewTicket", renewCases],
  ["unknown tickets", unknownTicketCases],
  ["entries", entryCases],
  ["check order", checkOrderCases],
  ["fencing", fencingCases],
  ["queries", queryCases],
  ["corrupt values", corruptionCases],
  ["values", valueCases],
  ["managers", managerCases],
  ["errors", errorCases],
  ["fast path: claimStatus", claimCases],
  ["fast path: write and close", writeCloseCases],
];

/**
 * Registers the job cache conformance suite (vitest `describe` / `it` blocks) for one
 * implementation: every rule of CONTRACT.md, each test on a fresh store from `target.setup()`.
 * Call it at the top level of a test file; vitest must be installed (an optional peer dependency).
 * @example
 * ```ts
 * import { describeJobCacheConformance } from "jobcache/testing";
 * describeJobCacheConformance({ name: "MY-STORE", setup: async () => myContext() });
 * ```
 */
export function describeJobCacheConformance(target: ConformanceTarget): void {
  describe(`jobcache conformance: ${target.name}`, () => {
    let current: DisposableSuiteContext | undefined;

    beforeEach(async () => {
      current = createSuiteContext(await target.setup());
    });

    afterEach(async () => {
      const finished = current;
      current = undefined;
      await finished?.dispose();
    });

    const get = (): SuiteContext => {
      if (current === undefined)
        throw new Error(`no ${target.name} store: setup() failed or the test is not running`);
      return current;
    };

    for (const [topic, cases] of TOPICS) describe(topic, () => cases(get));
  });
}
