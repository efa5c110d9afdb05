/**
 * Clients with skewed clocks: one worker process's manager runs 30 s ahead, another 30 s behind,
 * a third on time (OffsetClock as the manager's and the ticket actor's clock). With 600 ms
 * tickets, a client that mixed its own clock with the database's lease times would either never
 * hold a key or hold it long past its expiry. They hammer two shared keys; the trigger audit
 * shows no two tickets overlapped by the database clock, and the counters that nothing was lost.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobCacheManager } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import type { JobcacheSchema } from "../../src/store/sql/schema.js";
import { expectCleanRound, runCounterRound } from "../property/processes/support/counter-round.js";
import { installLeaseAudit } from "../property/processes/support/lease-audit.js";
import {
  closeWorkerManagers,
  forkWorkers,
  openWorkers,
  stopWorkers,
  type WorkerHandle,
} from "../property/processes/support/worker-handle.js";
import type { CounterOp, WorkerClock } from "../property/processes/support/worker-protocol.js";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../setup/sql-test-db.js";

const KEYS = ["counter-0", "counter-1"];
const CLOCKS: readonly WorkerClock[] = [
  { kind: "offset", offsetMs: 30_000 },
  { kind: "offset", offsetMs: -30_000 },
  { kind: "offset", offsetMs: 0 },
];
const OPS = 16;
const TICKET_MS = 600;

/** Per worker OPS increments over both keys, every fourth held across a heartbeat renewal. */
function plan(worker: number): CounterOp[] {
  return Array.from({ length: OPS }, (_, i) => ({
    key: KEYS[(i + worker) % KEYS.length] ?? "counter-0",
    hold: (i + 2 * worker) % 4 === 0 ? "renewal" : "none",
  }));
}

let workers: WorkerHandle[] = [];
beforeAll(() => {
  workers = forkWorkers("skewed-", CLOCKS.length);
});
afterAll(async () => {
  await stopWorkers(workers);
  await stopFallbackPostgres();
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: clients 30 s ahead and 30 s behind`, () => {
    let database: TestDatabase;
    let manager: JobCacheManager;
    let admin: Kysely<JobcacheSchema>;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, `faults/skewed-clocks ${dialect}`);
      const config = database.config({ "pool.size": "2" });
      await deploySchema(config);
      admin = await database.admin();
      await installLeaseAudit(admin, dialect, database.name);
      manager = await createJobCacheManager(config);
      await openWorkers(workers, config, CLOCKS);
    });

    afterAll(async () => {
      await closeWorkerManagers(workers);
      await manager?.close();
      await database?.drop();
    });

    it("cannot break exclusivity: the lease audit finds no overlap and every increment counts once", async () => {
      const plans = workers.map((_, index) => plan(index));
      const round = await runCounterRound(
        { manager, admin, dialect, workers },
        "skewed",
        KEYS,
        plans,
        TICKET_MS,
      );
      expectCleanRound(round);
      // every client took part: each committed all of its increments, renewals included
      expect(round.reports.map((report) => Object.values(report.commits).reduce((a, b) => a + b, 0))).toEqual(
        workers.map(() => OPS),
      );
      expect(round.reports.map((report) => report.renewals >= OPS / 4)).toEqual(workers.map(() => true));
    }, 60_000);
  });
}
