/**
 * PostgreSQL connections killed under working processes: three worker processes hammer two keys
 * through a proxy of the test's own, while the test terminates their backends with
 * pg_terminate_backend again and again (only backends connected through that proxy: never
 * another test's on the shared server). The store retries on new connections; the counters and
 * the lease audit show nothing was lost, doubled or overlapped.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobCacheManager } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import type { JobcacheSchema } from "../../src/store/sql/schema.js";
import { expectCleanRound, runCounterRound } from "../property/processes/support/counter-round.js";
import { installLeaseAudit } from "../property/processes/support/lease-audit.js";
import {
  forkWorkers,
  openWorkers,
  stopWorkers,
  type WorkerHandle,
} from "../property/processes/support/worker-handle.js";
import type { CounterOp } from "../property/processes/support/worker-protocol.js";
import { stopFallbackPostgres, testPostgresUrl } from "../setup/pg-test-server.js";
import { createTestDatabase, type TestDatabase } from "../setup/sql-test-db.js";
import { terminateBackends } from "./support/terminate-backends.js";
import { TrackingProxy } from "./support/tracking-proxy.js";

const WORKERS = 3;
const OPS = 16;
const KEYS = ["counter-0", "counter-1"];
const TICKET_MS = 900;
/** Pause between two rounds of terminations: the fault's rhythm, not a synchronisation. */
const KILL_EVERY_MS = 150;
/** What the store logs (debug) when it runs an operation again. */
const RETRIED = "jobcache: retrying SQL operation";

/** Per worker OPS increments over both keys, every fourth held across a heartbeat renewal. */
function plan(worker: number): CounterOp[] {
  return Array.from({ length: OPS }, (_, i) => ({
    key: KEYS[(i + worker) % KEYS.length] ?? "counter-0",
    hold: (i + worker) % 4 === 0 ? "renewal" : "none",
  }));
}

describe("POSTGRESQL: backends terminated while processes work", () => {
  let database: TestDatabase;
  let manager: JobCacheManager;
  let admin: Kysely<JobcacheSchema>;
  let proxy: TrackingProxy;
  let workers: WorkerHandle[] = [];

  beforeAll(async () => {
    workers = forkWorkers("terminated-", WORKERS);
    database = await createTestDatabase("POSTGRESQL", "faults/pg-terminate-backend");
    const direct = new URL(await testPostgresUrl());
    proxy = await TrackingProxy.start(direct.hostname, Number(direct.port || 5432));
    const proxied = new URL(direct);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const config = database.config({ "pool.size": "2" });
    await deploySchema(config);
    admin = await database.admin();
    await installLeaseAudit(admin, "POSTGRESQL", database.name);
    manager = await createJobCacheManager(config);
    await openWorkers(workers, database.config({ url: proxied.href, "pool.size": "2" }));
  });

  afterAll(async () => {
    await stopWorkers(workers);
    await manager?.close();
    await proxy?.close();
    await database?.drop();
    await stopFallbackPostgres();
  });

  it("work resumes after every termination and no increment is lost, doubled or overlapped", async () => {
    let running = true;
    let terminated = 0;
    let rounds = 0;
    const killer = (async () => {
      while (running) {
        const killed = await terminateBackends(admin, proxy.upstreamPorts);
        terminated += killed;
        if (killed > 0) rounds += 1;
        await delay(KILL_EVERY_MS);
      }
    })();
    const plans = workers.map((_, index) => plan(index));
    const round = await runCounterRound(
      { manager, admin, dialect: "POSTGRESQL", workers },
      "terminated",
      KEYS,
      plans,
      TICKET_MS,
    ).finally(() => {
      running = false;
    });
    await killer;

    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(terminated).toBeGreaterThanOrEqual(rounds);
    // operations were cut off mid-flight, and the store ran them again on new connections
    const retried = round.reports.reduce((sum, report) => sum + (report.storeLog[RETRIED] ?? 0), 0);
    expect(retried).toBeGreaterThan(0);
    expectCleanRound(round);
    expect(round.checks.reduce((sum, check) => sum + check.reported, 0)).toBe(WORKERS * OPS);
  }, 90_000);
});
