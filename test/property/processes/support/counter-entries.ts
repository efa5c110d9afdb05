/**
 * The entries the process tests work on: counters created at revision 1 by the test itself, and
 * the check that no increment was lost or doubled: each key's count is the sum of the increments
 * the workers say they committed, and its revision is one more than that.
 */
import type { JobCacheManager } from "../../../../src/base/types.js";
import type { CounterValue, HammerReport } from "./worker-protocol.js";

/** Creates `{ count: 0, steps: [] }` at revision 1 under each key. */
export async function seedCounters(manager: JobCacheManager, cacheName: string, keys: readonly string[]) {
  const cache = manager.getCache<CounterValue>(cacheName);
  for (const key of keys) {
    await using ticket = await cache.openNewTicket(key, 10_000);
    await cache.createEntry(ticket, "COUNTED", { count: 0, steps: [] });
  }
}

/** What the database holds for a key, next to what the workers reported. */
export interface CounterCheck {
  readonly key: string;
  readonly count: number;
  readonly revision: number;
  readonly reported: number;
}

/** Reads each key's entry and sums the workers' reported commits for it. */
export async function counterChecks(
  manager: JobCacheManager,
  cacheName: string,
  keys: readonly string[],
  reports: readonly HammerReport[],
): Promise<CounterCheck[]> {
  const cache = manager.getCache<CounterValue>(cacheName);
  return Promise.all(
    keys.map(async (key) => {
      const entry = await cache.queryKey(key);
      const reported = reports.reduce((sum, report) => sum + (report.commits[key] ?? 0), 0);
      return { key, count: entry?.value.count ?? -1, revision: entry?.revision ?? -1, reported };
    }),
  );
}

/** Adds up outcome counts of several reports. */
export function sumOutcomes(reports: readonly { readonly outcomes: Record<string, number> }[]) {
  const total: Record<string, number> = {};
  for (const report of reports) {
    for (const [kind, count] of Object.entries(report.outcomes)) total[kind] = (total[kind] ?? 0) + count;
  }
  return total;
}
