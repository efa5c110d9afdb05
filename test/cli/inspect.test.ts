import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobCacheManager, type JobCacheManager } from "../../src/index.js";
import { E2E_TEST_TIMEOUT_MS, runCli } from "../e2e/run-cli.js";
import { pollUntil } from "../property/processes/support/poll.js";

/** Each test starts the CLI several times; a loaded 2-core machine needs seconds for each. */
const CLI_TEST_MS = E2E_TEST_TIMEOUT_MS;

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
  it(
    "lists a live lease with its holder, state, revision, heartbeat and expiry, and entries by status",
    async () => {
      const jobs = manager.getCache("jobs");
      for (const key of ["job-a", "job-b"]) {
        await using ticket = await jobs.openNewTicket(key, 60_000);
        await jobs.createEntry(ticket, "QUEUED_IN_TRAC", { n: 1 });
      }
      const held = await jobs.openTicket("job-a", 1, 300_000);
      const run = await runCli(["inspect", "--config", config, "--json"]);
      expect(run.code).toBe(0);
      const seen = JSON.parse(run.stdout) as { leases: Record<string, unknown>[]; entries: unknown[] };
      expect(seen.leases).toHaveLength(1);
      expect(seen.leases[0]).toMatchObject({
        cacheName: "jobs",
        key: "job-a",
        state: "granted",
        revision: 1,
      });
      // by the store's clock, however long the CLI took to start on a busy machine
      expect(seen.leases[0]?.expiresInMs).toBeGreaterThan(0);
      expect(seen.leases[0]?.expiresInMs).toBeLessThanOrEqual(300_000);
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
    },
    CLI_TEST_MS,
  );

  it(
    "shows ended leases with how long ago they ended, never a negative time to expiry",
    async () => {
      const ended = manager.getCache("ended");
      const released = await ended.openNewTicket("released-new", 60_000);
      await released.close();
      const expired = await ended.openNewTicket("expired-new", 1);
      await pollUntil("the 1 ms lease has expired", () => Date.now() > expired.expiry.getTime() + 5);
      const live = await ended.openNewTicket("live-new", 300_000);

      const text = (await runCli(["inspect", "--config", config, "--cache", "ended", "--all"])).stdout;
      expect(text).toMatch(
        /ended\s+expired-new\s+\S+\s+expired\s+none\s+\d+\.\d s\s+\d+\s+\S+\s+expired \d+\.\d s ago/,
      );
      expect(text).toMatch(
        /ended\s+released-new\s+\S+\s+released\s+none\s+\d+\.\d s\s+\d+\s+\S+\s+released \d+\.\d s ago/,
      );
      expect(text).toMatch(
        /ended\s+live-new\s+\S+\s+granted\s+none\s+\d+\.\d s\s+\d+\s+\S+\s+expires in \d+\.\d s/,
      );
      expect(text).not.toMatch(/-\d+\.\d s/);
      await live.close();
    },
    CLI_TEST_MS,
  );

  it(
    "--limit prints that many leases and says how many more there are, in text and JSON",
    async () => {
      const many = manager.getCache("many");
      const held = await Promise.all(
        ["k1", "k2", "k3", "k4", "k5"].map((key) => many.openNewTicket(key, 300_000)),
      );
      const text = await runCli(["inspect", "--config", config, "--cache", "many", "--limit", "2"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/many\s+k1\s/);
      expect(text.stdout).toMatch(/many\s+k2\s/);
      expect(text.stdout).not.toMatch(/many\s+k3\s/);
      expect(text.stdout).toContain("... and 3 more (use --limit 5 to see all)");

      const json = JSON.parse(
        (await runCli(["inspect", "--config", config, "--cache", "many", "--limit", "4", "--json"])).stdout,
      ) as { leases: { key: string }[]; moreLeases: number };
      expect(json.leases.map((lease) => lease.key)).toEqual(["k1", "k2", "k3", "k4"]);
      expect(json.moreLeases).toBe(1);

      const bad = await runCli(["inspect", "--config", config, "--limit", "0"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--limit");
      await Promise.all(held.map((ticket) => ticket.close()));
    },
    CLI_TEST_MS,
  );

  it(
    "rejects an invalid cache name",
    async () => {
      const run = await runCli(["inspect", "--config", config, "--cache", "bad name"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("cacheName");
    },
    CLI_TEST_MS,
  );
});
