/**
 * SIGKILL of a holder mid-step: a worker process holds a key in a long step (its work waits for
 * a message that never comes, while heartbeats renew the lease), and is killed after a renewal.
 * Two other processes then race to complete the same step: once the dead holder's lease expires
 * by the database clock, exactly one of them records it, the other finds it done, and the killed
 * holder's write never appears.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobCacheManager } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import type { JobcacheSchema } from "../../src/store/sql/schema.js";
import { seedCounters } from "../property/processes/support/counter-entries.js";
import {
  auditLeases,
  installLeaseAudit,
  leaseEnded,
  readLeaseAudit,
  writtenRevisions,
} from "../property/processes/support/lease-audit.js";
import {
  closeWorkerManagers,
  forkWorkers,
  openWorkers,
  stopWorkers,
  WorkerHandle,
} from "../property/processes/support/worker-handle.js";
import type { CounterValue, StepReport } from "../property/processes/support/worker-protocol.js";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../setup/sql-test-db.js";

const CACHE = "killed";
const KEY = "job-1";
const TICKET_MS = 1_500;

let finishers: WorkerHandle[] = [];
beforeAll(() => {
  finishers = forkWorkers("finisher-", 2);
});
afterAll(async () => {
  await stopWorkers(finishers);
  await stopFallbackPostgres();
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: a holder killed with SIGKILL mid-step`, () => {
    let database: TestDatabase;
    let manager: JobCacheManager;
    let admin: Kysely<JobcacheSchema>;
    let victim: WorkerHandle | undefined;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, `faults/sigkill-holder ${dialect}`);
      const config = database.config({ "pool.size": "2" });
      await deploySchema(config);
      admin = await database.admin();
      await installLeaseAudit(admin, dialect, database.name);
      manager = await createJobCacheManager(config);
      victim = await WorkerHandle.start("victim", config);
      await openWorkers(finishers, config);
    });

    afterAll(async () => {
      await victim?.stop();
      await closeWorkerManagers(finishers);
      await manager?.close();
      await database?.drop();
    });

    it("another process completes the step exactly once after the lease expires; the killed write never appears", async () => {
      const holder = victim!;
      await seedCounters(manager, CACHE, [KEY]);
      const step = {
        type: "step",
        cacheName: CACHE,
        key: KEY,
        durationMs: TICKET_MS,
        stepName: "step-1",
      } as const;
      const held = holder.request({ ...step, hold: "until-lost", record: "step-1@victim" });
      held.catch(() => {}); // it never answers: it is killed

      await holder.waitForEvent((event) => event.event === "ticket:renewed");
      expect(await leaseEnded(admin, dialect, CACHE, KEY)).toBe(false);
      holder.kill("SIGKILL");
      expect(await holder.exited).toBe("SIGKILL");

      const [first, second] = await Promise.all(
        finishers.map((worker) =>
          worker.request<StepReport>({ ...step, hold: "none", record: `step-1@${worker.name}` }),
        ),
      );
      const results = [first?.result, second?.result].sort();
      expect(results).toEqual(["committed", "done-before"]);
      const winner = first?.result === "committed" ? finishers[0] : finishers[1];

      const entry = await manager.getCache<CounterValue>(CACHE).queryKey(KEY);
      expect(entry?.revision).toBe(2);
      expect(entry?.value).toEqual({ count: 1, steps: [`step-1@${winner?.name}`] });

      // by the database's record: the victim never wrote and never released; the winner's grant
      // came no earlier than the victim's last renewed expiry
      const rows = await readLeaseAudit(admin, CACHE);
      const audit = auditLeases(rows);
      expect(audit.problems).toEqual([]);
      expect(writtenRevisions(rows).get(KEY)).toEqual([1, 2]);
      const [, killed, ...after] = audit.intervals;
      const killedRows = rows.filter((row) => row.ticketId === killed?.ticketId);
      expect(killedRows.map((row) => row.state)).toEqual(killedRows.map(() => "granted"));
      expect(killedRows.length).toBeGreaterThanOrEqual(2); // the grant and at least one renewal
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(after[0]?.start).toBeGreaterThanOrEqual(killed?.end ?? Number.POSITIVE_INFINITY);
    });
  });
}
