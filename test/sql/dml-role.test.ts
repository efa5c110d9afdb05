/**
 * The cache runs as a PostgreSQL role with DML rights only (SELECT, INSERT, UPDATE, DELETE);
 * deploying the schema needs DDL and fails for that role with ECacheConfig.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/base/clock.js";
import { ECacheConfig } from "../../src/base/errors.js";
import { silentLogger } from "../../src/base/logger.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { openSqlStore } from "../../src/store/sql/sql-plugin.js";
import { testPostgresUrl } from "../setup/pg-test-server.js";
import {
  grantRequest,
  leaseOf,
  uniqueCache,
  useSqlDatabase,
  writeRequest,
} from "./fixtures/sql-store-fixture.js";

const context = { clock: systemClock, logger: silentLogger };
const role = `jc_dml_${randomBytes(4).toString("hex")}`;

async function asAdmin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: await testPostgresUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe("POSTGRESQL: a role with DML rights only", () => {
  const deployed = useSqlDatabase("POSTGRESQL", "dml-role.test deployed");
  const empty = useSqlDatabase("POSTGRESQL", "dml-role.test empty");

  beforeAll(async () => {
    await deploySchema(deployed.db().config());
    await asAdmin(`create role ${role} login`);
    for (const schema of [deployed.db().name, empty.db().name]) {
      await asAdmin(`grant usage on schema "${schema}" to ${role}`);
      await asAdmin(`grant select, insert, update, delete on all tables in schema "${schema}" to ${role}`);
      await asAdmin(`grant usage, select on all sequences in schema "${schema}" to ${role}`);
    }
  });

  afterAll(async () => {
    // Privileges first (they block dropping the role), then the role: the server as found.
    await asAdmin(`drop owned by ${role}`);
    await asAdmin(`drop role if exists ${role}`);
  });

  it("runs every operation", async () => {
    const store = await openSqlStore(deployed.db().config({ "postgresql.user": role }), context);
    try {
      const request = grantRequest(uniqueCache(), "job", null);
      const lease = leaseOf(request);
      expect((await store.grant(request)).outcome).toBe("granted");
      expect(await store.create({ ...writeRequest(lease, 0), status: "QUEUED", value: "v" })).toBe(1);
      expect(await store.update({ ...writeRequest(lease, 1), status: "RUNNING", value: "w" })).toBe(2);
      await store.renew({ ...lease, durationMs: 10_000 });
      expect((await store.read(lease))?.revision).toBe(2);
      expect(
        await store.queryStatus(lease.cacheName, ["RUNNING"], { includeOpenTickets: true, limit: 1 }),
      ).toHaveLength(1);
      await store.delete(writeRequest(lease, 2));
      await store.release(lease);
      expect(await store.queryKey(lease)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("cannot deploy: ECacheConfig, and the store names the deploy command", async () => {
    const config = empty.db().config({ "postgresql.user": role });
    await expect(deploySchema(config)).rejects.toThrow(ECacheConfig);
    await expect(deploySchema(config)).rejects.toThrow(/permission denied/);
    await expect(openSqlStore(config, context)).rejects.toThrow(/jobcache db deploy --config FILE/);
    await expect(
      openSqlStore({ ...config, properties: { ...config.properties, autoDeploy: "true" } }, context),
    ).rejects.toThrow(ECacheConfig);
  });
});
