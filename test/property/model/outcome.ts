/**
 * What an operation did, as plain data the model can predict and the real system can report:
 * a value, or the name of the error class it threw.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { ECache, EInvalidArgument } from "../../../src/base/errors.js";

export type Outcome = { readonly ok: unknown } | { readonly error: string };

/** A predicted outcome and the rule of CONTRACT.md that decides it (named in failure messages). */
export interface Prediction {
  readonly outcome: Outcome;
  readonly rule: string;
}

/** The rules the predictions name; mutation tests look for them in failure messages. */
export const RULES = {
  exclusive: "exclusive: at most one live ticket per key",
  fenced: "fenced: no write under a closed, expired, superseded, missing or forged ticket",
  renew: "renewal never revives a ticket that is not live",
  revision: "each successful write moves the revision by exactly 1",
  lastWrite: "queryKey equals the last committed write",
  hidden: "queryStatus hides keys with live tickets by default",
  grant: "grant rules (entry and revision)",
  entry: "entry rules (create, not found)",
  claim: "a claim never returns a key another live ticket holds, nor skips an older free one",
} as const;

export function ok(value: unknown, rule: string): Prediction {
  return { outcome: { ok: value }, rule };
}

export function rejected(error: string, rule: string): Prediction {
  return { outcome: { error }, rule };
}

/** Runs `call`; an error becomes its class name (unexpected errors keep their message). */
export async function observe(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await call() };
  } catch (error) {
    if (error instanceof ECache || error instanceof EInvalidArgument) return { error: error.name };
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { error: `unexpected ${text}` };
  }
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return isDeepStrictEqual(a, b);
}

export function showOutcome(outcome: Outcome): string {
  return "ok" in outcome ? `ok ${JSON.stringify(outcome.ok)}` : `throws ${outcome.error}`;
}
