/**
 * LOCAL: the in-process store. Its baseline is a Map get and set, the least a store of entries
 * in memory can do per call.
 * @module
 */
import { createJobCacheManager } from "../../src/index.js";
import type { OperationCase } from "../operation-case.js";
import type { TargetOutcome } from "./bench-target.js";

/** Keys the baseline cycles through: a Map of this size stays in the CPU caches, as LOCAL's do. */
const BASELINE_KEYS = 1_000;

/** A Map get and set per call, batched: one call takes nanoseconds. */
export function mapBaseline(): OperationCase {
  const map = new Map<string, number>();
  const keys = Array.from({ length: BASELINE_KEYS }, (_, index) => `job-${index}`);
  for (const key of keys) map.set(key, 0);
  let next = 0;
  return {
    name: "Map get+set",
    what: "map.set(key, map.get(key) + 1) on a Map of 1000 string keys",
    batch: 1_000,
    call() {
      const key = keys[next++ % BASELINE_KEYS]!;
      map.set(key, map.get(key)! + 1);
      return undefined;
    },
  };
}

/** Opens a LOCAL manager. */
export async function openLocalTarget(): Promise<TargetOutcome> {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  return {
    open: {
      manager,
      version: `jobcache LOCAL, Node ${process.version}`,
      settings: "in-process Maps, system clock",
      baselines: [mapBaseline()],
      // A LOCAL call takes microseconds; 20 per sample keeps the timer's cost under a few percent.
      batch: 20,
      statements: undefined,
      close: () => manager.close(),
    },
  };
}
