import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAge } from "../../src/cli/commands/prune.js";
import { createJobCacheManager, ECacheTicket, type JobCacheManager } from "../../src/index.js";
import { runCli } from "../e2e/run-cli.js";

let dir: string;
let config: string;
let manager: JobCacheManager;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-lease-control-"));
  const file = join(dir, "jobs.db");
  config = join(dir, "platform.yaml");
  await writeFile(
    config,
    `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${file}\n`,
  );
  manager = await createJobCacheManager(
    { protocol: "JDBC", properties: { dialect: "SQLITE", jdbcUrl: file } },
    { instanceId: "orchestrator-1" },
  );
});

afterAll(async () => {
  await manager?.close();
  await rm(dir, { recursive: true, force: true });
});

interface SeenLease {
  key: string;
  state: string;
  holder: string | null;
  renewals: number;
  heldForMs: number;
}

async function leases(...extra: string[]): Promise<SeenLease[]> {
  const run = await runCli(["inspect", "--config", config, "--json", "--cache", "revoking", ...extra]);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { leases: SeenLease[] }).leases;
}

/** Each test spawns the CLI a few times: seconds each on a loaded 2-core machine. */
const CLI_TIMEOUT_MS = 240_000;

describe("jobcache inspect, revoke and prune", { timeout: CLI_TIMEOUT_MS }, () => {
  it("inspect shows the holder, how long it held the job and its renewals", async () => {
    const jobs = manager.getCache("inspecting");
    const ticket = await jobs.openNewTicket("job-a", 60_000);
    await jobs.createEntry(ticket, "QUEUED", { n: 1 });
    await jobs.renewTicket(ticket, 60_000);
    const run = await runCli(["inspect", "--config", config, "--json", "--cache", "inspecting"]);
    const [lease] = (JSON.parse(run.stdout) as { leases: SeenLease[] }).leases;
    expect(lease).toMatchObject({ key: "job-a", holder: "orchestrator-1", renewals: 1 });
    expect(lease!.heldForMs).toBeGreaterThanOrEqual(0);
    const text = await runCli(["inspect", "--config", config, "--cache", "inspecting"]);
    expect(text.stdout).toMatch(/holder\s+state\s+revision\s+held for\s+renewals/);
    expect(text.stdout).toMatch(/inspecting\s+job-a\s+orchestrator-1\s+committed\s+1\s+\d+\.\d s\s+1\s/);
    await jobs.closeTicket(ticket);
  });

  it("revoke ends a live lease: the holder's renewal and write fail, and the key is free", async () => {
    const jobs = manager.getCache("revoking");
    const ticket = await jobs.openNewTicket("job-r", 60_000);
    await jobs.createEntry(ticket, "RUNNING", { n: 1 });
    const run = await runCli(["revoke", "--config", config, "--cache", "revoking", "job-r"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("revoked the lease on revoking/job-r held by orchestrator-1");
    await expect(jobs.renewTicket(ticket, 60_000)).rejects.toThrow(ECacheTicket);
    await expect(jobs.updateEntry(ticket, "DONE", { n: 2 })).rejects.toThrow(ECacheTicket);
    expect((await jobs.queryKey("job-r"))?.status).toBe("RUNNING");
    expect(await leases()).toEqual([]);
    const [claimed] = await jobs.claimStatus(["RUNNING"], 60_000);
    expect(claimed?.entry.key).toBe("job-r");
    await claimed?.ticket.close();
  });

  it("revoke with no live lease exits 1 saying so; bad arguments are refused", async () => {
    const none = await runCli(["revoke", "--config", config, "--cache", "revoking", "job-none", "--json"]);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual({
      cacheName: "revoking",
      key: "job-none",
      revoked: false,
      holder: null,
    });
    expect(none.stderr).toContain("no live lease on revoking/job-none");
    const missingCache = await runCli(["revoke", "--config", config, "job-none"]);
    expect(missingCache.code).toBe(2);
    const badKey = await runCli(["revoke", "--config", config, "--cache", "revoking", "bad key"]);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/key/);
  });

  it("prune removes ended lease rows older than the age and keeps live ones", async () => {
    const jobs = manager.getCache("pruning");
    for (const key of ["job-1", "job-2"]) {
      const ticket = await jobs.openNewTicket(key, 60_000);
      await jobs.createEntry(ticket, "QUEUED", { n: 1 }, { close: true });
    }
    const live = await jobs.openTicket("job-1", 1, 60_000);
    const old = await runCli([
      "prune",
      "--config",
      config,
      "--older-than",
      "1h",
      "--cache",
      "pruning",
      "--json",
    ]);
    expect(old.code).toBe(0);
    expect(JSON.parse(old.stdout)).toMatchObject({ pruned: 0, olderThanMs: 3_600_000 });
    const now = await runCli(["prune", "--config", config, "--older-than", "0s", "--cache", "pruning"]);
    expect(now.code).toBe(0);
    expect(now.stdout).toContain("pruned 1 lease row(s) of cache pruning");
    const all = await runCli(["inspect", "--config", config, "--json", "--all", "--cache", "pruning"]);
    const rows = (JSON.parse(all.stdout) as { leases: SeenLease[] }).leases;
    expect(rows.map((row) => [row.key, row.state])).toEqual([["job-1", "granted"]]);
    expect(await jobs.updateEntry(live, "DONE", { n: 2 })).toBe(2);
    const bad = await runCli(["prune", "--config", config, "--older-than", "soon"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--older-than takes an age like 90s, 15m, 1h or 7d");
    const missing = await runCli(["prune", "--config", config]);
    expect(missing.code).toBe(2);
  });

  it("reads ages in ms, s, m, h and d", () => {
    expect([
      parseAge("500"),
      parseAge("500ms"),
      parseAge("90s"),
      parseAge("15m"),
      parseAge("1h"),
      parseAge("7d"),
    ]).toEqual([500, 500, 90_000, 900_000, 3_600_000, 604_800_000]);
    expect(parseAge("1.5h")).toBe(5_400_000);
    expect(() => parseAge("-1h")).toThrow(/--older-than/);
  });
});
