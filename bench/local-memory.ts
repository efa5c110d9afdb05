/**
 * Heap held by LOCAL entries: a manager filled with entries (each created under its own closed
 * ticket, as jobs are) against a plain Map holding the same keys and encoded values, the least
 * any in-memory store must keep.
 * @module
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createJobCacheManager, defaultCodec } from "../src/index.js";
import type { MemoryResult } from "./bench-report.js";
import { type BenchValue, benchValue, createEntries } from "./cache-operations.js";
import { median, range } from "./stats.js";

/** Figures are scaled to this many entries. */
const PER_ENTRIES = 10_000;

/** Keeps what a fill made reachable while the heap is measured, whatever the JIT decides. */
let retained: unknown;

/** `gc()`, exposed at run time when node was started without --expose-gc. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Heap bytes still reachable from what `fill` returns, after full collections. */
async function heldBytes(collect: () => void, fill: () => Promise<unknown>): Promise<number> {
  collect();
  collect();
  const before = process.memoryUsage().heapUsed;
  retained = await fill();
  collect();
  collect();
  const after = process.memoryUsage().heapUsed;
  retained = undefined;
  return after - before;
}

function keys(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `job-${index}`);
}

async function fillLocal(entries: number) {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  await createEntries(manager.getCache<BenchValue>("bench_memory"), keys(entries), "QUEUED");
  return manager;
}

async function fillMap(entries: number) {
  const map = new Map<string, { revision: number; status: string; value: string; seq: number }>();
  let seq = 0;
  for (const key of keys(entries)) {
    map.set(key, { revision: 1, status: "QUEUED", value: defaultCodec.encode(benchValue(key)), seq: seq++ });
  }
  return map;
}

/** Measures `samples` pairs of fills of `entries` entries each. */
export async function measureLocalMemory(entries: number, samples: number): Promise<MemoryResult> {
  const collect = garbageCollector();
  const scale = PER_ENTRIES / entries;
  const local: number[] = [];
  const baseline: number[] = [];
  const ratios: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    let manager: Awaited<ReturnType<typeof fillLocal>> | undefined;
    const localBytes = await heldBytes(collect, async () => {
      manager = await fillLocal(entries);
      return manager;
    });
    await manager?.close();
    manager = undefined;
    const mapBytes = await heldBytes(collect, () => fillMap(entries));
    local.push(localBytes * scale);
    baseline.push(mapBytes * scale);
    ratios.push(localBytes / mapBytes);
  }
  const { min, max } = range(ratios);
  return {
    entries,
    samples,
    localBytesPer10k: median(local),
    baselineBytesPer10k: median(baseline),
    ratio: median(ratios),
    ratioMin: min,
    ratioMax: max,
  };
}
