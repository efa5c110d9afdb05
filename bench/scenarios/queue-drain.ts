/**
 * The queue drain: 300 jobs of 3 steps drained by 8 pollers in one process (one manager, a pool
 * of 8), through TRAC's calls on jobcache and on the TRAC replay, and through jobcache's fast
 * path; and 8 workers, each its own manager, contending for 8 keys. Every round uses fresh
 * caches; figures are steps per second.
 * @module
 */
import type { CacheTicket, JobCache } from "../../src/index.js";
import type { SqlBenchStore } from "../targets/sql-bench-store.js";
import { type CallTicket, type FastPathCalls, hasFastPath, type JobCalls } from "./job-calls.js";
import type { ScenarioPlace } from "./scenario-place.js";
import { TracReplay } from "./trac-replay.js";
import { contend, drainWithCalls, drainWithFastPath, fillQueue } from "./workloads.js";

/** Sizes of the drain. */
export interface DrainSize {
  readonly jobs: number;
  readonly stepsPerJob: 3;
  readonly pollers: number;
}

/** Steps per second of one drain, or why it did not run. */
export type DrainRate =
  | { readonly stepsPerSec: number; readonly collisions: number }
  | { readonly unavailable: string };

type Calls = JobCalls<CallTicket, unknown>;

function asCalls(cache: JobCache<unknown> | TracReplay): Calls {
  return cache as unknown as Calls;
}

async function timed(run: () => Promise<{ steps: number; collisions: number }>): Promise<DrainRate> {
  const started = performance.now();
  const { steps, collisions } = await run();
  return { stepsPerSec: steps / ((performance.now() - started) / 1000), collisions };
}

/** The drain's three ways on one store, one round (`round` keeps the caches apart). */
export async function drainRound(
  store: SqlBenchStore,
  size: DrainSize,
  round: number,
): Promise<{ replay: DrainRate; calls: DrainRate; fastPath: DrainRate }> {
  const steps = size.jobs * size.stepsPerJob;
  const replayCalls = asCalls(new TracReplay(store.db, `drain_replay_${round}`));
  await fillQueue(replayCalls, "job", size.jobs);
  const replay = await timed(() => drainWithCalls(replayCalls, size.pollers, steps));

  const callsCache = asCalls(store.manager.getCache(`drain_calls_${round}`));
  await fillQueue(callsCache, "job", size.jobs);
  const calls = await timed(() => drainWithCalls(callsCache, size.pollers, steps));

  const fastCache = store.manager.getCache<unknown>(`drain_fast_${round}`);
  let fastPath: DrainRate;
  if (!hasFastPath(fastCache)) {
    fastPath = { unavailable: "not available: this build's JobCache has no claimStatus (the fast path)" };
  } else {
    await fillQueue(asCalls(fastCache), "job", size.jobs);
    const fast = fastCache as unknown as FastPathCalls<CacheTicket, unknown>;
    fastPath = await timed(() => drainWithFastPath(fast, size.pollers, steps));
  }
  return { replay, calls, fastPath };
}

/** Contention of `workers` managers (pool of 1 each) over `keys` keys, jobcache then the replay. */
export async function contentionRound(
  place: ScenarioPlace,
  workers: number,
  keys: number,
  durationMs: number,
  round: number,
): Promise<{ replay: DrainRate; jobcache: DrainRate }> {
  const stores: SqlBenchStore[] = [];
  try {
    for (let i = 0; i < workers; i++) stores.push(await place.open(1));
    const keyNames = Array.from({ length: keys }, (_, index) => `key-${index}`);
    const result: Partial<Record<"replay" | "jobcache", DrainRate>> = {};
    const order: ("jobcache" | "replay")[] =
      round % 2 === 0 ? ["replay", "jobcache"] : ["jobcache", "replay"];
    for (const mode of order) {
      const cacheName = `contend_${mode}_${round}`;
      const calls = stores.map((store) =>
        mode === "replay"
          ? asCalls(new TracReplay(store.db, cacheName))
          : asCalls(store.manager.getCache(cacheName)),
      );
      await fillQueue(calls[0]!, "key", keys);
      // fillQueue names its keys key-0 .. key-(n-1), the names contend picks from.
      const deadline = performance.now() + durationMs;
      result[mode] = await timed(() => contend(calls, keyNames, () => performance.now() >= deadline));
    }
    return { replay: result.replay!, jobcache: result.jobcache! };
  } finally {
    for (const store of stores) await store.manager.close();
  }
}
