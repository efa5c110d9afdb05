/**
 * A holder paused past its expiry (SIGSTOP), whose own clock never moves, so it believes its
 * ticket is still live: the test waits until the lease has expired by the database clock (it
 * polls the database), lets another process take the key and write, then resumes the holder
 * (SIGCONT). Its write and its renewal are refused by the store (ECacheTicket, "expired by the
 * database clock"), and the other process's revision stands.
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
import { pollUntil } from "../property/processes/support/poll.js";
import {
  closeWorkerManagers,
  forkWorkers,
  stopWorkers,
  type WorkerHandle,
} from "../property/processes/support/worker-handle.js";
import type {
  CounterValue,
  StepReport,
  TicketReport,
} from "../property/processes/support/worker-protocol.js";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../setup/sql-test-db.js";

const CACHE = "paused";
const KEY = "job-1";
const TICKET_MS = 800;

let paused: WorkerHandle;
let taker: WorkerHandle;
beforeAll(() => {
  [paused, taker] = forkWorkers("paused-", 2) as [WorkerHandle, WorkerHandle];
});
afterAll(async () => {
  paused?.kill("SIGCONT"); // never leave a stopped process behind, whatever failed
  await stopWorkers([paused, taker]);
  await stopFallbackPostgres();
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: a holder paused past its expiry`, () => {
    let database: TestDatabase;
    let manager: JobCacheManager;
    let admin: Kysely<JobcacheSchema>;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, `faults/paused-holder ${dialect}`);
      const config = database.config({ "pool.size": "2" });
      await deploySchema(config);
      admin = await database.admin();
      await installLeaseAudit(admin, dialect, database.name);
      manager = await createJobCacheManager(config);
      // the paused process's clock is frozen: by its own clock the ticket never expires
      await paused.open(config, { kind: "frozen" });
      await taker.open(config);
    });

    afterAll(async () => {
      paused.kill("SIGCONT");
      await closeWorkerManagers([paused, taker]);
      await manager?.close();
      await database?.drop();
    });

    it("cannot commit after SIGCONT: its write is refused and the other process's revision stands", async () => {
      await seedCounters(manager, CACHE, [KEY]);
      const opened = await paused.request<TicketReport>({
        type: "ticket-open",
        cacheName: CACHE,
        key: KEY,
        durationMs: TICKET_MS,
      });
      expect(opened).toMatchObject({ granted: true, revision: 1 });

      paused.kill("SIGSTOP");
      await pollUntil("the paused holder's lease has expired by the database clock", () =>
        leaseEnded(admin, dialect, CACHE, KEY),
      );
      const taken = await taker.request<StepReport>({
        type: "step",
        cacheName: CACHE,
        key: KEY,
        durationMs: 10_000,
        hold: "none",
        stepName: "taken",
        record: "taken@taker",
      });
      expect(taken).toMatchObject({ result: "committed", revision: 2 });
      paused.kill("SIGCONT");

      const write = paused.request({ type: "ticket-write", key: KEY, record: "late@paused" });
      await expect(write).rejects.toMatchObject({ errorName: "ECacheTicket" });
      await expect(write).rejects.toThrow(/expired by the database clock/);
      const renew = paused.request({ type: "ticket-renew", key: KEY, durationMs: TICKET_MS });
      await expect(renew).rejects.toMatchObject({ errorName: "ECacheTicket" });
      await paused.request({ type: "ticket-close", key: KEY }); // a no-op now: the key is the taker's history

      const entry = await manager.getCache<CounterValue>(CACHE).queryKey(KEY);
      expect(entry?.revision).toBe(2);
      expect(entry?.value).toEqual({ count: 1, steps: ["taken@taker"] });
      const rows = await readLeaseAudit(admin, CACHE);
      expect(auditLeases(rows).problems).toEqual([]);
      expect(writtenRevisions(rows).get(KEY)).toEqual([1, 2]);
      // the paused ticket's only record is its grant: no write, no renewal, no release
      const pausedTicket = auditLeases(rows).intervals[1]?.ticketId;
      expect(rows.filter((row) => row.ticketId === pausedTicket).map((row) => row.state)).toEqual([
        "granted",
      ]);
    });
  });
}
