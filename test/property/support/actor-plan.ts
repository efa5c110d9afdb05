/**
 * What a ticket actor scenario is made of: actors (when they start, how long they work, how
 * their renewals fail, which outcome they report) and the timeline's passes and stalls, with
 * the fast-check arbitraries that generate them.
 * @module
 */
import fc from "fast-check";
import type { RenewalFault } from "./faulty-cache.js";

/** The one key every actor works on. */
export const ACTOR_KEY = "job-1";
/** Lease length: renewed every third of it. */
export const ACTOR_DURATION_MS = 3_000;

/** What one actor does. */
export interface ActorPlan {
  /** When it starts (reads the entry, then opens its ticket), ms after the scenario begins. */
  readonly startAt: number;
  readonly workMs: number;
  /** Its renewal attempts, in order (later ones succeed). */
  readonly renewals: readonly RenewalFault[];
  /** Which of its step's outcomes the work reports. */
  readonly outcome: number;
}

/** How time goes: passing (timers fire at their times) or stalling (time jumps, timers fire late). */
export type TimelineEvent =
  | { readonly kind: "pass"; readonly ms: number }
  | { readonly kind: "stall"; readonly ms: number };

export interface ActorScenario {
  readonly actors: readonly ActorPlan[];
  readonly events: readonly TimelineEvent[];
}

const renewalFault: fc.Arbitrary<RenewalFault> = fc.oneof(
  { arbitrary: fc.constant({ kind: "ok" } as const), weight: 4 },
  { arbitrary: fc.constant({ kind: "unavailable" } as const), weight: 2 },
  { arbitrary: fc.constant({ kind: "lost" } as const), weight: 1 },
  {
    arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => ({ kind: "late", ms: n * 100 }) as const),
    weight: 2,
  },
);

const hundreds = (max: number) => fc.integer({ min: 0, max }).map((n) => n * 100);

/** Two to four actors and up to ten timeline events. */
export const actorScenarioArbitrary: fc.Arbitrary<ActorScenario> = fc.record({
  actors: fc.array(
    fc.record({
      startAt: hundreds(40),
      workMs: hundreds(80),
      renewals: fc.array(renewalFault, { maxLength: 6 }),
      outcome: fc.nat(),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  events: fc.array(
    fc.oneof(
      hundreds(30).map((ms) => ({ kind: "pass", ms }) as const),
      fc.integer({ min: 5, max: 60 }).map((n) => ({ kind: "stall", ms: n * 100 }) as const),
    ),
    { maxLength: 10 },
  ),
});
