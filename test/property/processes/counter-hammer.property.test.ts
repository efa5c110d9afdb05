/**
 * Real processes racing on shared keys: four worker processes (forked with the tsx loader) run
 * ticket steps (runTicketStep, some holding the key across a heartbeat renewal) that each add
 * one to a counter, on 2-3 shared keys, on one SQLite file and on one PostgreSQL schema. The
 * plans are fast-check values with a fixed seed; the database's own record (a trigger on
 * jobcache_lease) proves that tickets of one key never overlapped by the database clock, and the
 * counters prove no update was lost or doubled.
 */
import fc from "fast-check";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobCacheManager } from "../../../src/base/types.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../../src/store/sql/migrate.js";
import type { JobcacheSchema } from "../../../src/store/sql/schema.js";
import { stopFallbackPostgres } from "../../setup/pg-test-server.js";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../setup/sql-test-db.js";
import {
  assertProperty,
  propertyParameters,
  propertyRuns,
  testFileOf,
  timeoutFor,
} from "../support/property-params.js";
import { sumOutcomes } from "./support/counter-entries.js";
import { expectCleanRound, type RoundResult, runCounterRound } from "./support/counter-round.js";
import { installLeaseAudit } from "./support/lease-audit.js";
import {
  closeWorkerManagers,
  forkWorkers,
  openWorkers,
  stopWorkers,
  type WorkerHandle,
} from "./support/worker-handle.js";
import type { CounterOp } from "./support/worker-protocol.js";

const WORKERS = 4;
/** Rounds per dialect (JOBCACHE_PROPERTY_RUNS for a soak run); each round is about 2-5 s. */
const RUNS = propertyRuns(3);
/** Long enough that a starved process on 2 busy cores still renews in time, short enough to test renewals. */
const TICKET_MS = 600;

/** A plan: how many keys, and per worker 8-14 increments, about one in six held across a renewal. */
const planArbitrary = fc
  .record({
    keys: fc.integer({ min: 2, max: 3 }),
    ops: fc.array(
      fc.array(fc.record({ key: fc.nat({ max: 5 }), renewal: fc.nat({ max: 5 }) }), {
        minLength: 8,
        maxLength: 14,
      }),
      {
        minLength: WORKERS,
        maxLength: WORKERS,
      },
    ),
  })
  .map(({ keys, ops }) => ({
    keys: Array.from({ length: keys }, (_, index) => `counter-${index}`),
    ops: ops.map((list) =>
      list.map(
        (op): CounterOp => ({ key: `counter-${op.key % keys}`, hold: op.renewal === 0 ? "renewal" : "none" }),
      ),
    ),
  }));

// one set of processes for the file: each dialect's block opens their managers on its database
let workers: WorkerHandle[] = [];
beforeAll(() => {
  workers = forkWorkers("hammer-", WORKERS);
});
afterAll(async () => {
  await stopWorkers(workers);
  await stopFallbackPostgres();
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: ${WORKERS} processes hammer shared keys`, () => {
    let database: TestDatabase;
    let manager: JobCacheManager;
    let admin: Kysely<JobcacheSchema>;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, `property/processes/counter-hammer ${dialect}`);
      const config = database.config({ "pool.size": "2" });
      await deploySchema(config);
      admin = await database.admin();
      await installLeaseAudit(admin, dialect, database.name);
      manager = await createJobCacheManager(config);
      await openWorkers(workers, config);
    });

    afterAll(async () => {
      await closeWorkerManagers(workers);
      await manager?.close();
      await database?.drop();
    });

    it(
      "no two tickets of a key overlap by the database clock, and no increment is lost or doubled",
      async () => {
        const rounds: RoundResult[] = [];
        await assertProperty(
          fc.asyncProperty(planArbitrary, async (plan) => {
            const round = await runCounterRound(
              { manager, admin, dialect, workers },
              `hammer-${rounds.length + 1}`,
              plan.keys,
              plan.ops,
              TICKET_MS,
            );
            rounds.push(round);
            expectCleanRound(round);
          }),
          // processes are slow to shrink over: report the seed and the failing plan instead
          propertyParameters(RUNS, { endOnFailure: true }),
          testFileOf(import.meta.url),
        );
        const outcomes = sumOutcomes(rounds.flatMap((round) => round.reports));
        // the processes did race: some steps found the key held by another process
        expect(outcomes.superseded ?? 0).toBeGreaterThan(0);
        expect(outcomes.committed).toBe(
          rounds.flatMap((round) => round.checks).reduce((sum, c) => sum + c.reported, 0),
        );
      },
      timeoutFor(RUNS, 10_000),
    );
  });
}
