/**
 * Deploying while other schemas of the same database come and go (test files, tenants): the
 * migrator's table lookup must not trip over a schema dropped while it reads the catalog.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { stopFallbackPostgres, testPostgresUrl } from "../setup/pg-test-server.js";
import { createTestDatabase, type TestDatabase } from "../setup/sql-test-db.js";

const made: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(made.map((database) => database.drop()));
  await stopFallbackPostgres();
});

describe("POSTGRESQL: deploy beside schemas being dropped", () => {
  it("deploys every schema while another connection creates and drops schemas with tables", async () => {
    const url = await testPostgresUrl();
    const churn = new pg.Client({ connectionString: url });
    await churn.connect();
    let stop = false;
    let churned = 0;
    const churning = (async () => {
      while (!stop) {
        const name = `jc_churn_${randomBytes(4).toString("hex")}`;
        await churn.query(`create schema "${name}"`);
        await churn.query(`create table "${name}".t (a int, b text, c bigint)`);
        await churn.query(`drop schema "${name}" cascade`);
        churned += 1;
      }
    })();
    try {
      for (let i = 0; i < 8; i += 1) {
        const database = await createTestDatabase("POSTGRESQL", `deploy-beside-drops ${i}`);
        made.push(database);
        const result = await deploySchema(database.config());
        expect(result.status.state).toBe("current");
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
    expect(churned).toBeGreaterThan(0);
  });
});
