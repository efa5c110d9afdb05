import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { committedInTrace, jsonReport, runCli, startCli } from "./run-cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-stop-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sqliteConfig(name: string): Promise<string> {
  const config = join(dir, `${name}.yaml`);
  await writeFile(
    config,
    `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${join(dir, `${name}.db`)}\n`,
  );
  return config;
}

/** No stack trace, no broken pipe, no unhandled error anywhere in what the run printed. */
function expectCleanOutput(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain("EPIPE");
  expect(stderr).not.toMatch(/Unhandled|ERR_IPC/);
}

describe("jobcache run: stopping, killing, resuming (SQLite)", () => {
  it("--trace to a path that cannot be written fails at once with a clear message, before seeding", async () => {
    const fresh = await mkdtemp(join(dir, "fresh-"));
    const run = await runCli(["run", "--trace", "/nonexistent/x"], fresh);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('jobcache: cannot write the trace file "/nonexistent/x"');
    expect(run.stderr).toContain("ENOENT");
    expectCleanOutput(run.stderr);
    expect(existsSync(join(fresh, ".jobcache"))).toBe(false); // nothing seeded, no database made
  });

  it("SIGTERM during --processes 3: report and audit printed, exit 143, then --resume finishes the rest", async () => {
    const config = await sqliteConfig("term");
    const trace = join(dir, "term.jsonl");
    const args = ["run", "--config", config, "--processes", "3", "--jobs", "60", "--json", "--trace", trace];
    const run = startCli(args, dir);
    await vi.waitFor(async () => expect(await committedInTrace(trace)).toBeGreaterThanOrEqual(20), {
      timeout: 120_000,
      interval: 50,
    });
    run.child.kill("SIGTERM");
    const stopped = await run.done;
    expect(stopped.code).toBe(143);
    expectCleanOutput(stopped.stderr);
    expect(stopped.stderr).toContain("jobcache: stopped by SIGTERM");
    expect(stopped.stderr).not.toContain("MaxListenersExceeded");
    const report = jsonReport(stopped);
    expect(report).toMatchObject({ interrupted: "SIGTERM", doubleCommits: 0, lostJobs: 0, problems: [] });
    expect(Number(report.left)).toBeGreaterThan(0);
    expect(Number(report.completed) + Number(report.left)).toBe(60);
    expect(stopped.stderr).toContain(`jobcache run --resume ${String(report.run)}`);

    // one job can be followed through the trace: every line names its job and revision
    const lines = (await readFile(trace, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    for (const line of lines.slice(0, 50)) {
      expect(line).toMatchObject({ key: expect.stringMatching(/^job-\d{6}$/), revision: expect.any(Number) });
    }

    const resumed = await runCli(["run", "--config", config, "--resume", "--json"], dir);
    expect(resumed.code).toBe(0);
    expect(jsonReport(resumed)).toMatchObject({
      run: report.run,
      jobs: 60,
      completed: 60,
      left: 0,
      lostJobs: 0,
      doubleCommits: 0,
      problems: [],
    });
    const again = await runCli(["run", "--config", config, "--resume"], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no unfinished run to resume");
  }, 420_000);

  it("kill -9 of every process mid-run, then --resume: every job audited, none lost, none doubled", async () => {
    const config = await sqliteConfig("kill9");
    const trace = join(dir, "kill9.jsonl");
    const args = [
      "run",
      "--config",
      config,
      "--jobs",
      "40",
      "--ticket-ms",
      "1000",
      "--json",
      "--trace",
      trace,
    ];
    const run = startCli(args, dir);
    await vi.waitFor(async () => expect(await committedInTrace(trace)).toBeGreaterThanOrEqual(30), {
      timeout: 120_000,
      interval: 50,
    });
    process.kill(-(run.child.pid ?? 0), "SIGKILL"); // the parent and its orchestrators: the whole group
    const killed = await run.done;
    expect(killed.code).toBeNull();

    const resumed = await runCli(["run", "--config", config, "--resume", "--json"], dir);
    expect(resumed.code).toBe(0);
    const report = jsonReport(resumed);
    expect(report).toMatchObject({
      jobs: 40,
      completed: 40,
      left: 0,
      lostJobs: 0,
      doubleCommits: 0,
      problems: [],
    });
    // the steps committed before the kill are in the audit too: more than this session reported
    expect(Number(report.stepsCommitted)).toBeGreaterThan(40 * 10);
  }, 420_000);

  it("--executor command runs a real process for every step, with the fencing token in its environment", async () => {
    const config = await sqliteConfig("command");
    const run = await runCli(
      [
        "run",
        "--config",
        config,
        "--jobs",
        "5",
        "--processes",
        "2",
        "--json",
        "--executor",
        "command",
        "--command",
        "sh -c 'echo token=$JOBCACHE_FENCING_TOKEN'",
      ],
      dir,
      180_000,
    );
    expect(run.code).toBe(0);
    expect(jsonReport(run)).toMatchObject({ completed: 5, doubleCommits: 0, lostJobs: 0 });
    const tokens = run.stderr.match(/^token=\d+$/gm) ?? [];
    // one process per step: at least the nine steps of a job whose executor call succeeds at once
    expect(tokens.length).toBeGreaterThanOrEqual(5 * 9);
    expect(tokens).toContain("token=1");
  }, 300_000);

  it("a second SIGINT forces the stop at once: exit 130, with how to resume, no stack trace", async () => {
    const config = await sqliteConfig("force");
    const started = join(dir, "force-started");
    // each step sleeps far longer than the test waits, and the grace period is longer still:
    // only the forced stop can end this run quickly, and only it prints "forced stop"
    const args = ["run", "--config", config, "--jobs", "2", "--processes", "1", "--grace", "600"];
    const command = `sh -c 'echo $$ >> ${started}; exec sleep 90'`;
    const run = startCli([...args, "--executor", "command", "--command", command], dir);
    await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 120_000, interval: 50 });
    run.child.kill("SIGINT");
    await vi.waitFor(() => expect(run.stderr()).toContain("press Ctrl-C again to force"), {
      timeout: 60_000,
      interval: 50,
    });
    run.child.kill("SIGINT");
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expectCleanOutput(stopped.stderr);
    expect(stopped.stderr).toMatch(
      /forced stop: unfinished jobs stay in cache \S+; continue with: jobcache run --resume \S+/,
    );
  }, 300_000);

  it("--executor command without --command is a usage error", async () => {
    const run = await runCli(["run", "--executor", "command"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--executor command needs --command");
  });
});
