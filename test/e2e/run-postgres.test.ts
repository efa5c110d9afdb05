import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { createTestDatabase, type TestDatabase } from "../setup/sql-test-db.js";
import { committedInTrace, E2E_TEST_TIMEOUT_MS, jsonReport, runCli, startCli } from "./run-cli.js";

let database: TestDatabase;
let dir: string;
let config: string;

beforeAll(async () => {
  database = await createTestDatabase("POSTGRESQL", "e2e/run-postgres");
  dir = await mkdtemp(join(tmpdir(), "jobcache-run-pg-"));
  config = join(dir, "platform.yaml");
  await writeFile(config, stringify({ jobCache: database.config({ "pool.size": "5" }) }));
});

afterAll(async () => {
  await database?.drop();
  await stopFallbackPostgres();
  await rm(dir, { recursive: true, force: true });
});

describe("jobcache db and run on PostgreSQL", { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it("db status says a deploy is needed, db deploy creates the schema, then status is current", async () => {
    const before = await runCli(["db", "status", "--config", config]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("schema missing");
    expect(before.stderr).toContain(`jobcache db deploy --config ${config}`);

    const deploy = await runCli(["db", "deploy", "--config", config, "--json"]);
    expect(deploy.code).toBe(0);
    expect(JSON.parse(deploy.stdout)).toMatchObject({
      applied: ["0001-create-tables", "0002-lease-holder"],
      status: { state: "current" },
    });

    const again = await runCli(["db", "deploy", "--config", config]);
    expect(again.stdout).toContain("nothing to apply");
    const after = await runCli(["db", "status", "--config", config]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("schema current");
  }, 180_000);

  it("--kill-one: three orchestrators over PostgreSQL finish every job with no double commit and no lost job", async () => {
    const run = await runCli([
      "run",
      "--config",
      config,
      "--jobs",
      "60",
      "--kill-one",
      "--ticket-ms",
      "1000",
      "--json",
    ]);
    const report = jsonReport(run);
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ jobs: 60, completed: 60, doubleCommits: 0, lostJobs: 0, killed: ["w1"] });
    expect(String(report.store)).toContain("JDBC/POSTGRESQL");
    expect(report.failovers).toBeGreaterThan(0);
  }, 300_000);

  it("SIGTERM during --processes 3 prints the report and exits 143 with no stack trace; --resume finishes", async () => {
    const trace = join(dir, "term.jsonl");
    const run = startCli([
      "run",
      "--config",
      config,
      "--processes",
      "3",
      "--jobs",
      "60",
      "--json",
      "--trace",
      trace,
    ]);
    await vi.waitFor(async () => expect(await committedInTrace(trace)).toBeGreaterThanOrEqual(20), {
      timeout: 120_000,
      interval: 50,
    });
    run.child.kill("SIGTERM");
    const stopped = await run.done;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).not.toMatch(/^\s+at /m);
    expect(stopped.stderr).not.toContain("EPIPE");
    expect(stopped.stderr).toContain("jobcache: stopped by SIGTERM");
    const report = jsonReport(stopped);
    expect(report).toMatchObject({ interrupted: "SIGTERM", doubleCommits: 0, lostJobs: 0, problems: [] });
    expect(Number(report.completed) + Number(report.left)).toBe(60);

    const resumed = await runCli(["run", "--config", config, "--resume", String(report.run), "--json"]);
    expect(resumed.code).toBe(0);
    expect(jsonReport(resumed)).toMatchObject({ completed: 60, left: 0, lostJobs: 0, doubleCommits: 0 });
  }, 420_000);

  it("inspect afterwards shows no live lease and no entry left", async () => {
    const run = await runCli(["inspect", "--config", config, "--json"]);
    expect(run.code).toBe(0);
    const seen = JSON.parse(run.stdout) as { leases: unknown[]; entries: unknown[] };
    expect(seen.leases).toEqual([]);
    expect(seen.entries).toEqual([]);
  });
});
