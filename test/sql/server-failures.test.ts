/**
 * A PostgreSQL server of this file's own (never the shared one) that is stopped and restarted:
 * operations fail with ECacheUnavailable while it is down, the pool recovers when it is back,
 * and no error ever shows the password.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/base/clock.js";
import { ECacheConfig, ECacheUnavailable } from "../../src/base/errors.js";
import { type Logger, silentLogger } from "../../src/base/logger.js";
import type { PluginConfig } from "../../src/base/types.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { openSqlStore } from "../../src/store/sql/sql-plugin.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../setup/throwaway-postgres.js";
import { grantRequest, uniqueCache } from "./fixtures/sql-store-fixture.js";

const context = { clock: systemClock, logger: silentLogger };

/** Everything the store logged, at every level, as text. */
const logged: string[] = [];
const capturing: Logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [
    level,
    (message: string, facts?: Record<string, unknown>) =>
      logged.push(`${level} ${message} ${inspect(facts)}`),
  ]),
) as unknown as Logger;

/** Everything an error carries, as a person or a log would see it. */
function shown(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
}

describe("POSTGRESQL: a server that goes away", () => {
  let server: ThrowawayPostgres;
  let config: PluginConfig;
  let store: SqlStore;

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    config = {
      protocol: "JDBC",
      properties: {
        dialect: "POSTGRESQL",
        jdbcUrl: `//127.0.0.1:${server.port}/postgres`,
        "postgresql.user": "postgres",
        "pool.size": "2",
        "retry.attempts": "3",
        "retry.minDelayMs": "10",
        "retry.maxDelayMs": "50",
        connectTimeoutMs: "2000",
      },
      secrets: { "postgresql.password": server.password },
    };
    await deploySchema(config);
    store = await openSqlStore(config, { clock: systemClock, logger: capturing });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it("fails with ECacheUnavailable while down, naming the server but not the password, and recovers", async () => {
    const cache = uniqueCache();
    expect((await store.grant(grantRequest(cache, "before", null))).outcome).toBe("granted");

    await server.stop();
    const failure = await store.grant(grantRequest(cache, "during", null)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ECacheUnavailable);
    expect(String(failure)).toContain(`127.0.0.1:${server.port}`);
    expect(shown(failure)).not.toContain(server.password);

    await server.start();
    expect((await store.grant(grantRequest(cache, "after", null))).outcome).toBe("granted");
    // The outage was logged (lost connections, retries), never with the password.
    expect(logged.some((line) => line.includes("retrying"))).toBe(true);
    expect(logged.filter((line) => line.includes(server.password))).toEqual([]);
    expect(
      (await store.queryStatus(cache, ["ANY"], { includeOpenTickets: true, limit: undefined })).length,
    ).toBe(0);
    expect((await store.listLeases(cache)).map((lease) => lease.key)).toEqual(["after", "before"]);
  });

  it("recovers after a restart while the pool was idle", async () => {
    const cache = uniqueCache();
    expect((await store.grant(grantRequest(cache, "one", null))).outcome).toBe("granted");
    await server.stop();
    await server.start();
    expect((await store.grant(grantRequest(cache, "two", null))).outcome).toBe("granted");
  });

  it("rejects a wrong password with ECacheConfig, without showing it", async () => {
    const wrong = "not-the-right-one-4711";
    const failure = await openSqlStore(
      { ...config, secrets: { "postgresql.password": wrong } },
      context,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ECacheConfig);
    expect(String(failure)).toMatch(/password authentication failed/);
    expect(shown(failure)).not.toContain(wrong);
    expect(shown(failure)).not.toContain(server.password);
  });

  it("fails with ECacheUnavailable at creation when nothing listens, without showing the password", async () => {
    await server.stop();
    try {
      const failure = await openSqlStore(config, context).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ECacheUnavailable);
      expect(String(failure)).toMatch(/ECONNREFUSED|connect/);
      expect(shown(failure)).not.toContain(server.password);
    } finally {
      await server.start();
    }
  });
});
