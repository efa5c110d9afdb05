import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobCacheManager, type JobCacheManager } from "../../src/index.js";
import { runCli } from "../e2e/run-cli.js";

let dir: string;
let config: string;
let manager: JobCacheManager;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-inspect-"));
  const file = join(dir, "jobs.db");
  config = join(dir, "platform.yaml");
  await writeFile(
    config,
    `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${file}\n`,
  );
  manager = await createJobCacheManager({
    protocol: "JDBC",
    properties: { dialect: "SQLITE", jdbcUrl: file },
  });
});

afterAll(async () => {
  await manager?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("jobcache inspect", () => {
  it("lists a live lease with its holder, state, revision, heartbeat and expiry, and entries by status", async () => {
    const jobs = manager.getCache("jobs");
    for (const key of ["job-a", "job-b"]) {
      await using ticket = await jobs.openNewTicket(key, 60_000);
      await jobs.createEntry(ticket, "QUEUED_IN_TRAC", { n: 1 });
    }
    const held = await jobs.openTicket("job-a", 1, 60_000);
    const run = await runCli(["inspect", "--config", config, "--json"]);
    expect(run.code).toBe(0);
    const seen = JSON.parse(run.stdout) as { leases: Record<string, unknown>[]; entries: unknown[] };
    expect(seen.leases).toHaveLength(1);
    expect(seen.leases[0]).toMatchObject({ cacheName: "jobs", key: "job-a", state: "granted", revision: 1 });
    expect(seen.leases[0]?.expiresInMs).toBeGreaterThan(50_000);
    expect(seen.entries).toEqual([{ cacheName: "jobs", status: "QUEUED_IN_TRAC", count: 2 }]);

    const text = await runCli(["inspect", "--config", config]);
    expect(text.stdout).toMatch(/jobs\s+job-a\s+\S+\s+granted\s+1/);
    await held.close();
    const after = JSON.parse((await runCli(["inspect", "--config", config, "--json"])).stdout) as {
      leases: unknown[];
    };
    expect(after.leases).toEqual([]);
    const all = JSON.parse((await runCli(["inspect", "--config", config, "--json", "--all"])).stdout) as {
      leases: { key: string; state: string }[];
    };
    // one lease row per key: released ones stay visible with --all
    expect(all.leases.map((lease) => [lease.key, lease.state])).toEqual([
      ["job-a", "released"],
      ["job-b", "released"],
    ]);
  });

  it("rejects an invalid cache name", async () => {
    const run = await runCli(["inspect", "--config", config, "--cache", "bad name"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cacheName");
  });
});
