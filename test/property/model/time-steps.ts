/**
 * Durations and clock moves of the model, chosen so no comparison ever falls near a boundary:
 * every time the model reaches is a multiple of 10 s, every expiry and deadline is 5 s off one.
 * On SQL the database and process clocks also run in real time while a run lasts (well under a
 * second); the 5 s margin keeps that from ever deciding an outcome.
 * @module
 */
import fc from "fast-check";

/** Ticket durations (ms): both are 5 s past a multiple of 10 s. */
export const DURATIONS = [15_000, 35_000] as const;

/** Clock moves (ms): multiples of 10 s, some shorter and some longer than a duration. */
export const CLOCK_STEPS = [10_000, 20_000, 40_000] as const;

export const durationArbitrary = fc.constantFrom(...DURATIONS);
export const clockStepArbitrary = fc.constantFrom(...CLOCK_STEPS);
