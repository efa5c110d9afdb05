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

/** `gc()`, exposed at run time when node was started without --expose-gc. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/**
 * Heap used after full collections. The turns of the event loop between them let promise
 * reactions and closures of the previous fill finish, so their garbage is gone too.
 */
async function settledHeap(collect: () => void): Promise<number> {
  for (let pass = 0; pass < 3; pass++) {
    collect();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap bytes still reachable from what `fill` returns, after full collections. `release` runs
 * after the measurement, so what was filled stays reachable until then, whatever the JIT decides.
 */
async function heldBytes<T>(
  collect: () => void,
  fill: () => Promise<T>,
  release: (held: T) => Promise<void> | void,
): Promise<number> {
  const before = await settledHeap(collect);
  const held = await fill();
  const after = await settledHeap(collect);
  await release(held);
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

/**
 * Measures `samples` pairs of fills of `entries` entries each. The figures are NaN when no pair
 * could be measured.
 */
export async function measureLocalMemory(entries: number, samples: number): Promise<MemoryResult> {
  const collect = garbageCollector();
  const scale = PER_ENTRIES / entries;
  const local: number[] = [];
  const baseline: number[] = [];
  const ratios: number[] = [];
  // A fill cannot free memory: a heap that shrank means something else was collected meanwhile
  // (it happens with small fills), so that pair is taken again, a few times at most.
  for (let attempt = 0; ratios.length < samples && attempt < samples * 3; attempt++) {
    const localBytes = await heldBytes(
      collect,
      () => fillLocal(entries),
      (manager) => manager.close(),
    );
    const mapBytes = await heldBytes(
      collect,
      () => fillMap(entries),
      (map) => map.clear(),
    );
    if (localBytes <= 0 || mapBytes <= 0) continue;
    local.push(localBytes * scale);
    baseline.push(mapBytes * scale);
    ratios.push(localBytes / mapBytes);
  }
  const { min, max } = range(ratios);
  return {
    entries,
    samples: ratios.length,
    localBytesPer10k: median(local),
    baselineBytesPer10k: median(baseline),
    ratio: median(ratios),
    ratioMin: min,
    ratioMax: max,
  };
}
