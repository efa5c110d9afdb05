import { expect, it } from "vitest";
import type { CacheTicket, JobCache } from "../index.js";
import { DURATION_MS, expectGranted, isGranted } from "./expectations.js";
import { seedEntry } from "./fixtures.js";
import { CACHE_NAME, type ContextGetter, type JobValue, type SuiteContext } from "./suite-context.js";

/** How many openers race for one key in each case. */
const RACERS = 6;

/** One cache per racing "process": two managers when the store is shared, else one. */
async function racingCaches(ctx: SuiteContext): Promise<JobCache<JobValue>[]> {
  const first = await ctx.cache();
  if (!ctx.sharesAcrossManagers) return [first];
  return [first, (await ctx.newManager()).getCache<JobValue>(CACHE_NAME)];
}

function grantedOf(tickets: readonly CacheTicket[]): CacheTicket[] {
  return tickets.filter(isGranted);
}

/** CONTRACT.md "Tickets", Exclusivity: at most one live ticket per key, under concurrent openers. */
export function exclusivityCases(get: ContextGetter): void {
  it("concurrent openNewTicket calls on a fresh key: exactly one is granted", async () => {
    const caches = await racingCaches(get());
    const tickets = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        caches[i % caches.length]!.openNewTicket("job-1", DURATION_MS),
      ),
    );
    expect(grantedOf(tickets)).toHaveLength(1);
    for (const ticket of tickets) expect(ticket.missing).toBe(false);
  });

  it("concurrent openTicket calls at the entry's revision: exactly one is granted", async () => {
    const caches = await racingCaches(get());
    await seedEntry(caches[0]!, "job-1", { revision: 2 });
    const tickets = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        caches[i % caches.length]!.openTicket("job-1", 2, DURATION_MS),
      ),
    );
    const granted = grantedOf(tickets);
    expect(granted).toHaveLength(1);
    expect(tickets.filter((ticket) => ticket.superseded)).toHaveLength(RACERS - 1);
  });

  it("openNewTicket and openTicket racing on an existing entry: exactly one granted, an openTicket", async () => {
    const caches = await racingCaches(get());
    await seedEntry(caches[0]!, "job-1");
    const opens = Array.from({ length: RACERS }, (_, i) => {
      const cache = caches[i % caches.length]!;
      return i % 2 === 0
        ? cache.openNewTicket("job-1", DURATION_MS)
        : cache.openTicket("job-1", 1, DURATION_MS);
    });
    const tickets = await Promise.all(opens);
    const granted = grantedOf(tickets);
    expect(granted).toHaveLength(1);
    expect(granted[0]?.revision).toBe(1);
  });

  it("openNewTicket and openTicket racing on a fresh key: exactly one granted, an openNewTicket", async () => {
    const caches = await racingCaches(get());
    const opens = Array.from({ length: RACERS }, (_, i) => {
      const cache = caches[i % caches.length]!;
      return i % 2 === 0
        ? cache.openTicket("job-1", 1, DURATION_MS)
        : cache.openNewTicket("job-1", DURATION_MS);
    });
    const granted = grantedOf(await Promise.all(opens));
    expect(granted).toHaveLength(1);
    expect(granted[0]?.revision).toBe(0);
  });

  it("after the winner closes, exactly one of the next round of racers wins", async () => {
    const caches = await racingCaches(get());
    await seedEntry(caches[0]!, "job-1");
    const race = () =>
      Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          caches[i % caches.length]!.openTicket("job-1", 1, DURATION_MS),
        ),
      );
    const [winner] = grantedOf(await race());
    expect(winner).toBeDefined();
    // Close through every cache: only the one that granted it releases, the others ignore it.
    for (const cache of caches) await cache.closeTicket(winner!);
    expect(grantedOf(await race())).toHaveLength(1);
  });

  it("concurrent openers on different keys are all granted", async () => {
    const caches = await racingCaches(get());
    const tickets = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        caches[i % caches.length]!.openNewTicket(`job-${i}`, DURATION_MS),
      ),
    );
    for (const ticket of tickets) expectGranted(ticket);
  });
}
