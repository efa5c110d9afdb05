/**
 * queryStatus and openTicket at 1,000 and at 100,000 entries of one cache, each size in a schema
 * or database of its own: first on tables filled and never analyzed (the planner knows nothing
 * of the rows), then after ANALYZE. Sizes alternate within each round, so the figure, the call
 * time at 100k over the call time at 1k, compares calls timed side by side.
 * @module
 */
import { sql } from "kysely";
import type { JobCache } from "../../src/index.js";
import { median } from "../stats.js";
import type { SqlBenchStore } from "../targets/sql-bench-store.js";
import { TICKET_MS } from "./job-calls.js";
import { createPlace, type ScenarioPlace, type ServerName } from "./scenario-place.js";

/** One call's median times (µs) at both sizes, per round. */
export interface ScaleFigure {
  readonly small: readonly number[];
  readonly large: readonly number[];
}

/** Both calls, before and after ANALYZE. */
export interface ScaleResult {
  readonly sizes: readonly [number, number];
  readonly fresh: { readonly queryStatus: ScaleFigure; readonly openTicket: ScaleFigure };
  readonly analyzed: { readonly queryStatus: ScaleFigure; readonly openTicket: ScaleFigure };
}

const CACHE = "scale";
const ROWS_PER_INSERT = 1_000;

/** Entries key-0 .. key-(n-1), one in ten QUEUED (the rest DONE), each with a released lease. */
async function fill(store: SqlBenchStore, server: ServerName, entries: number): Promise<void> {
  const { db } = store;
  // Keep the tables un-analyzed until the scenario analyzes them itself.
  if (server === "POSTGRESQL") {
    for (const table of ["jobcache_entry", "jobcache_lease"])
      await sql`alter table ${sql.table(table)} set (autovacuum_enabled = false)`.execute(db);
  } else {
    for (const table of ["jobcache_entry", "jobcache_lease"])
      await sql`alter table ${sql.table(table)} stats_auto_recalc = 0`.execute(db);
  }
  const value = JSON.stringify({ job: "x", step: 0, params: { region: "eu-west", shards: [1, 2, 3] } });
  for (let start = 0; start < entries; start += ROWS_PER_INSERT) {
    const count = Math.min(ROWS_PER_INSERT, entries - start);
    const keys = Array.from({ length: count }, (_, offset) => start + offset);
    await db
      .insertInto("jobcache_entry")
      .values(
        keys.map((index) => ({
          cache_name: CACHE,
          entry_key: `key-${index}`,
          revision: 1,
          status: index % 10 === 0 ? "QUEUED" : "DONE",
          value,
        })),
      )
      .execute();
    await db
      .insertInto("jobcache_lease")
      .values(
        keys.map((index) => ({
          cache_name: CACHE,
          entry_key: `key-${index}`,
          ticket_id: `t-${index}`,
          revision: 1,
          state: "released" as const,
          grant_time: 1,
          heartbeat_time: 1,
          expiry: 1,
        })),
      )
      .execute();
  }
}

async function timeCalls(count: number, call: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times.push((performance.now() - started) * 1000);
  }
  return median(times);
}

function distinctRandom(count: number, below: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, below)) picked.add(Math.floor(Math.random() * below));
  return [...picked];
}

interface Sized {
  readonly entries: number;
  readonly place: ScenarioPlace;
  readonly store: SqlBenchStore;
  readonly cache: JobCache<unknown>;
}

async function measure(sized: readonly [Sized, Sized], rounds: number, calls: number) {
  const figures = {
    queryStatus: { small: [] as number[], large: [] as number[] },
    openTicket: { small: [] as number[], large: [] as number[] },
  };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const { cache, entries } = sized[index]!;
      const side = index === 0 ? "small" : "large";
      figures.queryStatus[side].push(
        await timeCalls(calls, async () => {
          const found = await cache.queryStatus(["QUEUED"], { limit: 10 });
          if (found.length !== 10) throw new Error(`scale: queryStatus found ${found.length}, not 10`);
        }),
      );
      const tickets: Awaited<ReturnType<JobCache<unknown>["openTicket"]>>[] = [];
      // Distinct keys spread over the whole cache: each ticket stays open until the round's end.
      const keys = distinctRandom(calls, entries);
      figures.openTicket[side].push(
        await timeCalls(calls, async () => {
          const key = `key-${keys.pop()}`;
          const ticket = await cache.openTicket(key, 1, TICKET_MS);
          if (ticket.superseded || ticket.missing) throw new Error(`scale: ${key} not granted`);
          tickets.push(ticket);
        }),
      );
      for (const ticket of tickets) await cache.closeTicket(ticket);
    }
  }
  return figures;
}

/** Runs the scale scenario on `server`; a reason string when the server is down. */
export async function statusScale(
  server: ServerName,
  sizes: readonly [number, number],
  rounds: number,
  calls: number,
): Promise<ScaleResult | string> {
  const sized: Sized[] = [];
  try {
    for (const entries of sizes) {
      const place = await createPlace(server);
      if (typeof place === "string") return place;
      const store = await place.open(2);
      sized.push({ entries, place, store, cache: store.manager.getCache(CACHE) });
      await fill(store, server, entries);
    }
    const pair = sized as unknown as readonly [Sized, Sized];
    const fresh = await measure(pair, rounds, calls);
    for (const { store } of pair) {
      await store.execute(
        server === "POSTGRESQL"
          ? "analyze jobcache_entry, jobcache_lease"
          : "analyze table jobcache_entry, jobcache_lease",
      );
    }
    const analyzed = await measure(pair, rounds, calls);
    return { sizes, fresh, analyzed };
  } finally {
    for (const { store, place } of sized) {
      await store.manager.close().catch(() => {});
      // A server gone meanwhile: the run says so elsewhere; leave the schema to be dropped by hand.
      await place.drop().catch(() => {});
    }
  }
}
