/** Statuses and values the writing operations use. */
import fc from "fast-check";
import type { ModelConfig } from "../model.js";

/** A status and a value `{ by: process, n }`, so every write is told apart by who made it. */
export function writeArgs(config: ModelConfig) {
  return fc.record({ status: fc.constantFrom(...config.statuses), n: fc.nat(99) });
}
