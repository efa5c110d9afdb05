/**
 * Several OS processes on one database: SQLite processes sharing a file, PostgreSQL processes
 * with their own pools. They deploy the schema at once, and race for the ticket of one key.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/sql/migrations/index.js";
import { TEST_DIALECTS } from "../setup/sql-test-db.js";
import { runWorkers } from "./fixtures/child-processes.js";
import { useSqlDatabase } from "./fixtures/sql-store-fixture.js";

const CYCLES = 25;

for (const dialect of TEST_DIALECTS) {
  // Child processes load TypeScript: 8 s a case at load 18, over 30 s on a machine loaded further.
  describe(`${dialect}: several processes`, { timeout: 180_000 }, () => {
    const deploying = useSqlDatabase(dialect, `multi-process.test deploy ${dialect}`);
    const racing = useSqlDatabase(dialect, `multi-process.test race ${dialect}`);

    it("deploys the schema exactly once when three processes deploy at once", async () => {
      const results = await runWorkers(3, { mode: "deploy", config: deploying.db().config() });
      expect(results.flatMap((result) => result.applied as string[])).toEqual([...MIGRATION_NAMES]);
      expect(results.map((result) => result.state)).toEqual(["current", "current", "current"]);
    });

    it("hands the ticket of one key to one process at a time", async () => {
      const config = racing.db().config({ autoDeploy: "true" });
      await deploySchema(config);
      const admin = await racing.db().admin();
      await sql`create table race_probe (holders integer not null)`.execute(admin);
      await sql`insert into race_probe (holders) values (0)`.execute(admin);

      const results = await runWorkers(2, { mode: "race", config, cycles: CYCLES });

      expect(results.map((result) => result.overlaps)).toEqual([0, 0]);
      expect(results.map((result) => result.done)).toEqual([CYCLES, CYCLES]);
      const entry = await sql<{ revision: number; value: string }>`select revision, value from jobcache_entry
        where cache_name = 'race' and entry_key = 'the-key'`.execute(admin);
      expect(Number(entry.rows[0]?.revision)).toBe(2 * CYCLES);
      expect(JSON.parse(entry.rows[0]?.value ?? "{}")).toEqual({ count: 2 * CYCLES });
    });
  });
}
