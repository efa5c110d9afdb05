import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/base/clock.js";
import { ECacheConfig } from "../../src/base/errors.js";
import type { Logger } from "../../src/base/logger.js";
import { silentLogger } from "../../src/base/logger.js";
import { deploySchema, schemaStatus } from "../../src/store/sql/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/sql/migrations/index.js";
import { openSqlStore } from "../../src/store/sql/sql-plugin.js";
import { TEST_DIALECTS } from "../setup/sql-test-db.js";
import { useSqlDatabase } from "./fixtures/sql-store-fixture.js";

const context = { clock: systemClock, logger: silentLogger };

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: schema deployment`, () => {
    const undeployed = useSqlDatabase(dialect, `migrations.test undeployed ${dialect}`);
    const racing = useSqlDatabase(dialect, `migrations.test racing ${dialect}`);
    const versions = useSqlDatabase(dialect, `migrations.test versions ${dialect}`);

    it("refuses to open a store on an undeployed database, naming the deploy command", async () => {
      const config = undeployed.db().config({ autoDeploy: "false" });
      expect((await schemaStatus(config)).state).toBe("missing");
      const opening = openSqlStore(config, context);
      await expect(opening).rejects.toThrow(ECacheConfig);
      await expect(openSqlStore(config, context)).rejects.toThrow(/jobcache db deploy --config FILE/);
      expect((await schemaStatus(config)).state).toBe("missing"); // nothing was created
    });

    it("runs several migrators at once: the schema is deployed exactly once", async () => {
      const config = racing.db().config();
      const results = await Promise.all(Array.from({ length: 5 }, () => deploySchema(config)));
      expect(results.flatMap((result) => result.applied)).toEqual([...MIGRATION_NAMES]);
      for (const result of results) expect(result.status.state).toBe("current");
      const rows = await sql<{ name: string }>`select name from jobcache_migration`.execute(
        await racing.db().admin(),
      );
      expect(rows.rows.map((row) => row.name).sort()).toEqual([...MIGRATION_NAMES]);
      const again = await deploySchema(config);
      expect(again.applied).toEqual([]);
    });

    it("names the deploy command for an older schema and accepts a newer one with a warning", async () => {
      const config = versions.db().config();
      await deploySchema(config);
      const admin = await versions.db().admin();
      // as if only 0001 had been applied, then renamed: every migration is pending
      await sql`delete from jobcache_migration where name <> '0001-create-tables'`.execute(admin);
      await sql`update jobcache_migration set name = '0000-older'`.execute(admin);
      expect(await schemaStatus(config)).toMatchObject({
        state: "outdated",
        pending: [...MIGRATION_NAMES],
      });
      await expect(
        openSqlStore({ ...config, properties: { ...config.properties, autoDeploy: "false" } }, context),
      ).rejects.toThrow(
        /older job cache schema \(pending: 0001-create-tables, 0002-lease-holder\).*jobcache db deploy --config FILE/,
      );
      await sql`update jobcache_migration set name = '0001-create-tables'`.execute(admin);
      await sql`insert into jobcache_migration (name, timestamp) values ('0002-lease-holder', '2030-01-01T00:00:00.000Z')`.execute(
        admin,
      );
      await sql`insert into jobcache_migration (name, timestamp) values ('9999-future', '2030-01-01T00:00:00.000Z')`.execute(
        admin,
      );
      const warnings: string[] = [];
      const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
      const store = await openSqlStore(config, { clock: systemClock, logger });
      await store.close();
      expect(warnings.some((message) => message.includes("newer"))).toBe(true);
      expect((await schemaStatus(config)).state).toBe("newer");
    });
  });
}

describe("SQLITE: the embedded default deploys itself", () => {
  const fixture = useSqlDatabase("SQLITE", "migrations.test embedded");

  it("creates the schema on first use when autoDeploy is not set", async () => {
    const config = fixture.db().config();
    expect((await schemaStatus(config)).state).toBe("missing");
    const store = await openSqlStore(config, context);
    await store.close();
    expect((await schemaStatus(config)).state).toBe("current");
  });
});
