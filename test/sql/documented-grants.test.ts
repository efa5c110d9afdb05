/**
 * The grants docs/operations.md gives the application user, run as written (only the names
 * changed to this test's schema or database and a user of its own), are enough for the cache and
 * for `jobcache inspect`: both read the migration table at start, besides the two tables.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PluginConfig } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { testPostgresUrl } from "../setup/pg-test-server.js";
import { useSqlDatabase } from "./fixtures/sql-store-fixture.js";
import { describeMysql, serverUrl } from "./mysql/support/describe-mysql.js";
import { createMysqlTestDatabase, type MysqlTestDatabase } from "./mysql/support/mysql-test-db.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DOC = readFileSync(join(ROOT, "docs/operations.md"), "utf8");
const PASSWORD_VARIABLE = "JOBCACHE_GRANTS_TEST_PASSWORD";
/** The password the documented statements give the user. */
const DOC_PASSWORD = "change-me";

/** The statements of the ```sql block that follows `intro` in docs/operations.md. */
function documentedStatements(intro: string): string[] {
  const start = DOC.indexOf(intro);
  expect(start, `docs/operations.md has "${intro}"`).toBeGreaterThanOrEqual(0);
  const block = /```sql\n([\s\S]*?)```/.exec(DOC.slice(start));
  expect(block, `a sql block after "${intro}"`).not.toBeNull();
  return (block?.[1] ?? "")
    .split(";")
    .map((statement) => statement.trim())
    .filter((statement) => statement !== "");
}

/** Runs `jobcache inspect --json` from source with `config` as its platform config file. */
async function inspectAs(
  config: PluginConfig,
  secret: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), "jobcache-grants-"));
  const file = join(dir, "platform.yaml");
  const secrets = Object.fromEntries(
    Object.keys(config.secrets ?? {}).map((name) => [name, PASSWORD_VARIABLE]),
  );
  await writeFile(
    file,
    stringify({ jobCache: { protocol: config.protocol, properties: config.properties, secrets } }),
  );
  try {
    return await new Promise((done) => {
      execFile(
        process.execPath,
        ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "inspect", "--config", file, "--json"],
        { cwd: ROOT, env: { ...process.env, [PASSWORD_VARIABLE]: secret }, timeout: 120_000 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
          done({ code, stdout, stderr });
        },
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Uses the cache as the application user: a job's whole life, then a status query. */
async function useCache(config: PluginConfig): Promise<void> {
  const manager = await createJobCacheManager(config);
  try {
    const jobs = manager.getCache<{ step: number }>(`grants_${randomBytes(3).toString("hex")}`);
    const ticket = await jobs.openNewTicket("job-1", 30_000);
    expect(await jobs.createEntry(ticket, "QUEUED", { step: 0 })).toBe(1);
    expect(await jobs.updateEntry(ticket, "RUNNING", { step: 1 })).toBe(2);
    await jobs.closeTicket(ticket);
    expect((await jobs.queryStatus(["RUNNING"])).map((entry) => entry.key)).toEqual(["job-1"]);
  } finally {
    await manager.close();
  }
}

async function expectInspectWorks(config: PluginConfig): Promise<void> {
  const run = await inspectAs(config, DOC_PASSWORD);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const printed = JSON.parse(run.stdout) as { entries: { status: string; count: number }[] };
  expect(printed.entries).toContainEqual(expect.objectContaining({ status: "RUNNING", count: 1 }));
}

describe("POSTGRESQL: the documented grants for the application user", () => {
  const database = useSqlDatabase("POSTGRESQL", "documented-grants.test");
  const role = `jc_app_${randomBytes(4).toString("hex")}`;

  async function asAdmin(statements: readonly string[]): Promise<void> {
    const client = new pg.Client({ connectionString: await testPostgresUrl() });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await deploySchema(database.db().config());
    const schema = `"${database.db().name}"`;
    const statements = documentedStatements("PostgreSQL (tables in the schema").map((statement) =>
      statement
        .replaceAll(/\bjobcache_app\b/g, role)
        .replaceAll(/\bSCHEMA jobcache\b/g, `SCHEMA ${schema}`)
        .replaceAll(/\bjobcache\.(?=jobcache_)/g, `${schema}.`),
    );
    expect(statements.length).toBeGreaterThan(1);
    await asAdmin(statements);
  });

  afterAll(async () => {
    await asAdmin([`drop owned by ${role}`, `drop role if exists ${role}`]);
  });

  it("are enough for the cache and for jobcache inspect", async () => {
    const config = database.db().config({ "postgresql.user": role });
    const withSecret = { ...config, secrets: { "postgresql.password": DOC_PASSWORD } };
    await useCache(withSecret);
    await expectInspectWorks(withSecret);
  }, 180_000);
});

describeMysql("MARIADB: the documented grants for the application user", () => {
  let database: MysqlTestDatabase;
  const user = `jc_app_${randomBytes(4).toString("hex")}`;

  async function asAdmin(statements: readonly string[]): Promise<void> {
    const admin = await database.admin();
    for (const statement of statements) await admin.query(statement);
  }

  beforeAll(async () => {
    database = await createMysqlTestDatabase(serverUrl(), "documented-grants.test");
    await deploySchema(database.config("MARIADB"));
    const statements = documentedStatements("MySQL and MariaDB (tables in the database").map((statement) =>
      statement
        .replaceAll(/\bjobcache_app\b/g, user)
        .replaceAll(/\bjobcache\.(?=jobcache_)/g, `\`${database.name}\`.`),
    );
    expect(statements.length).toBeGreaterThan(1);
    await asAdmin(statements);
  });

  afterAll(async () => {
    await asAdmin([`drop user if exists '${user}'@'%'`]);
    await database.drop();
  });

  it("are enough for the cache and for jobcache inspect; the secret's password wins over the URL's", async () => {
    const base = database.config("MARIADB");
    const jdbcUrl = base.properties?.jdbcUrl ?? "";
    // a wrong password in the URL: only the secret's (the documented one) can log in
    const config: PluginConfig = {
      protocol: "JDBC",
      properties: {
        ...base.properties,
        jdbcUrl: jdbcUrl.replace("//", `//${user}:wrong@`),
        "mariadb.user": user,
      },
      secrets: { "mariadb.password": DOC_PASSWORD },
    };
    await useCache(config);
    await expectInspectWorks(config);
  }, 180_000);
});
