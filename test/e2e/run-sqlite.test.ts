import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_TEST_TIMEOUT_MS, jsonReport, runCli } from "./run-cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-run-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("jobcache run on SQLite", { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it("with no config runs on the embedded SQLite file in the working directory and passes its audit", async () => {
    const run = await runCli(["run", "--jobs", "30", "--json"], dir);
    const report = jsonReport(run);
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ jobs: 30, completed: 30, doubleCommits: 0, lostJobs: 0, processes: 3 });
    expect(report.stepLatencyMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
    expect(report.throughputJobsPerSec).toBeGreaterThan(0);
    expect(existsSync(join(dir, ".jobcache/jobcache.db"))).toBe(true);
  }, 300_000);

  it("--kill-one: a SIGKILLed orchestrator's jobs finish elsewhere, with no double commit and no lost job", async () => {
    const config = join(dir, "platform.yaml");
    await writeFile(
      config,
      `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${join(dir, "kill.db")}\n`,
    );
    const trace = join(dir, "trace.jsonl");
    const run = await runCli(
      [
        "run",
        "--config",
        config,
        "--jobs",
        "60",
        "--kill-one",
        "--ticket-ms",
        "1000",
        "--json",
        "--trace",
        trace,
      ],
      dir,
    );
    const report = jsonReport(run);
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ jobs: 60, completed: 60, doubleCommits: 0, lostJobs: 0, killed: ["w1"] });
    expect(report.failovers).toBeGreaterThan(0);
    const lines = (await readFile(trace, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(60);
    expect(lines[0]).toMatchObject({
      worker: expect.stringMatching(/^w\d$/),
      type: expect.stringMatching(/^@xstate\./),
    });
    expect(lines.some((line) => line.state === "committed")).toBe(true);
  }, 300_000);

  it("prints a readable report and exits 0 without --json", async () => {
    const run = await runCli(["run", "--jobs", "10", "--processes", "2"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/double commits\s+0/);
    expect(run.stdout).toMatch(/jobs lost\s+0/);
    expect(run.stdout).toContain("OK: every step committed exactly once");
  }, 300_000);

  it("rejects bad options with exit status 2 and says what was expected", async () => {
    const run = await runCli(["run", "--processes", "0"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("expected a whole number from 1 to 64");
  });
});
