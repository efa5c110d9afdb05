import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobCacheManager, EInvalidArgument, type JobCacheManager } from "jobcache";
import {
  commandExecutor,
  createOrchestrator,
  type LifecycleStep,
  type OrchestratorEvent,
  statusTable,
} from "jobcache/orchestrator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../../../src/cli/program.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-command-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const step: LifecycleStep = {
  status: "TODO",
  step: "work",
  ticket: "cache",
  outcomes: ["step.done", "step.failed"],
};
const call = (signal = new AbortController().signal) => ({
  jobKey: "job-7",
  step,
  fencingToken: 42,
  instanceId: "host:1",
  signal,
});

/** The pid the command wrote to `file`, once it has written it. */
async function pidIn(file: string): Promise<number> {
  return vi.waitFor(
    async () => {
      const text = (await readFile(file, "utf8").catch(() => "")).trim();
      expect(text).toMatch(/^\d+$/);
      return Number(text);
    },
    { timeout: 20_000, interval: 20 },
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("commandExecutor", () => {
  it("runs the command with the job key, step and fencing token in its environment", async () => {
    const out = join(dir, "env.txt");
    const executor = commandExecutor({
      command: `echo "$JOBCACHE_JOB_KEY $JOBCACHE_STATUS $JOBCACHE_STEP $JOBCACHE_FENCING_TOKEN $JOBCACHE_INSTANCE_ID" > ${out}`,
    });
    expect(await executor.call(call())).toEqual({ type: "step.done" });
    expect((await readFile(out, "utf8")).trim()).toBe("job-7 TODO work 42 host:1");
  });

  it("a non-zero exit is the step's failure outcome", async () => {
    const executor = commandExecutor({ command: "exit 3", output: "ignore" });
    expect(await executor.call(call())).toMatchObject({ type: "step.failed", retryable: true });
  });

  it("kills the whole process group when the signal aborts, and rejects", async () => {
    const pidFile = join(dir, "abort.pid");
    const executor = commandExecutor({ command: `sleep 60 & echo $! > ${pidFile}; wait`, killGraceMs: 100 });
    const controller = new AbortController();
    const pending = executor.call(call(controller.signal));
    const grandchild = await pidIn(pidFile);
    expect(alive(grandchild)).toBe(true);
    controller.abort(new Error("lease lost"));
    await expect(pending).rejects.toThrow("lease lost");
    await vi.waitFor(() => expect(alive(grandchild)).toBe(false), { timeout: 20_000 });
  });

  it("rejects an empty command with EInvalidArgument", () => {
    expect(() => commandExecutor({ command: " " })).toThrow(EInvalidArgument);
  });
});

describe("commandExecutor under an orchestrator on SQLite", () => {
  let manager: JobCacheManager;
  afterAll(async () => {
    await manager?.close();
  });

  it("a step whose lease is revoked (jobcache revoke) is killed and never commits", async () => {
    const file = join(dir, "lost.db");
    manager = await createJobCacheManager({
      protocol: "JDBC",
      properties: { dialect: "SQLITE", jdbcUrl: file, autoDeploy: "true" },
    });
    const cache = manager.getCache<{ n: number }>("jobs");
    {
      await using ticket = await cache.openNewTicket("victim", 10_000);
      await cache.createEntry(ticket, "TODO", { n: 0 });
    }
    const pidFile = join(dir, "victim.pid");
    const events: OrchestratorEvent[] = [];
    const orchestrator = createOrchestrator({
      cache,
      lifecycle: statusTable({ TODO: { step: "work", on: { "step.done": "DONE" } }, DONE: {} }),
      executor: commandExecutor({ command: `sleep 60 & echo $! > ${pidFile}; wait`, killGraceMs: 100 }),
      ticketDurationMs: 900,
      pollIntervalMs: 20,
      onEvent: (event) => events.push(event),
    });
    orchestrator.start();
    const sleeper = await pidIn(pidFile);
    // an operator revokes the lease with the CLI, as docs/operations.md says
    const config = join(dir, "lost.yaml");
    await writeFile(
      config,
      `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${file}\n`,
    );
    await createProgram().parseAsync([
      "node",
      "jobcache",
      "revoke",
      "--config",
      config,
      "--cache",
      "jobs",
      "victim",
    ]);
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("leaseLost"), { timeout: 20_000 });
    await vi.waitFor(() => expect(alive(sleeper)).toBe(false), { timeout: 20_000 });
    await orchestrator.stop(0);
    expect(events.find((e) => e.type === "leaseLost")).toMatchObject({
      key: "victim",
      revision: 1,
      reason: "lost",
      heldMs: expect.any(Number),
    });
    expect(events.map((e) => e.type)).not.toContain("committed");
    expect(await cache.queryKey("victim")).toMatchObject({ status: "TODO", revision: 1 });
  });
});
