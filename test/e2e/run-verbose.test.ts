import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_TEST_TIMEOUT_MS, jsonReport, runCli } from "./run-cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-verbose-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("jobcache run --verbose / --log-format", { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it("--verbose --log-format json: every worker's grants and commits as JSON lines on stderr", async () => {
    const run = await runCli(
      [
        "run",
        "--jobs",
        "5",
        "--processes",
        "2",
        "--failure-rate",
        "0",
        "--json",
        "--verbose",
        "--log-format",
        "json",
      ],
      dir,
    );
    const report = jsonReport(run);
    expect(run.code).toBe(0);
    const records = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const commits = records.filter((record) => record.msg === "committed");
    // every step committed once, each reported once by the worker that committed it
    expect(commits).toHaveLength(report.stepsCommitted as number);
    expect(commits[0]).toMatchObject({
      level: "info",
      time: expect.any(String),
      worker: expect.stringMatching(/^w\d$/),
      key: expect.stringMatching(/^job-/),
      revision: expect.any(Number),
      newRevision: expect.any(Number),
      stepMs: expect.any(Number),
    });
    expect(records.filter((record) => record.msg === "granted").length).toBeGreaterThanOrEqual(
      commits.length,
    );
    // the run's own lines are JSON too
    expect(
      records.some((record) => typeof record.msg === "string" && record.msg.startsWith("seeding 5 jobs")),
    ).toBe(true);
  }, 300_000);

  it("--verbose in text: one line per event with name=value facts", async () => {
    const run = await runCli(
      ["run", "--jobs", "3", "--processes", "1", "--failure-rate", "0", "--verbose"],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^jobcache run: committed worker=w\d key=job-\d+ revision=\d+ /m);
    expect(run.stderr).toMatch(/^jobcache run: seeding 3 jobs/m);
  }, 300_000);

  it("rejects an unknown --log-format with exit status 2", async () => {
    const run = await runCli(["run", "--log-format", "xml"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Allowed choices are text, json");
  });
});
