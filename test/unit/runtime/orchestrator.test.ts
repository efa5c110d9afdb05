import { afterEach, describe, expect, it, vi } from "vitest";
import { type ArchivedJob, auditRun, type CommitReport } from "../../../src/cli/run/audit.js";
import {
  createJobCacheManager,
  ECacheUnavailable,
  type JobCache,
  type JobCacheManager,
} from "../../../src/index.js";
import { JOB_STATUSES } from "../../../src/machines/job-events.js";
import { type JobRecord, newJobRecord } from "../../../src/runtime/job-record.js";
import { Orchestrator } from "../../../src/runtime/orchestrator.js";
import { SimulatedExecutor } from "../../../src/runtime/simulated-executor.js";

const managers: JobCacheManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

async function seeded(count: number): Promise<{ cache: JobCache<JobRecord>; keys: string[] }> {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  managers.push(manager);
  const cache = manager.getCache<JobRecord>("jobs");
  const keys = Array.from({ length: count }, (_, i) => `job-${i}`);
  for (const key of keys) {
    await using ticket = await cache.openNewTicket(key, 10_000);
    await cache.createEntry(ticket, "QUEUED_IN_TRAC", newJobRecord("QUEUED_IN_TRAC", "seed"));
  }
  return { cache, keys };
}

function orchestrator(
  cache: JobCache<JobRecord>,
  worker: string,
  archived: ArchivedJob[],
  reports: CommitReport[],
  failureRate = 0,
) {
  return new Orchestrator({
    cache,
    worker,
    executor: new SimulatedExecutor({ delayMs: [0, 2], failureRate }),
    maxJobs: 4,
    pollIntervalMs: 5,
    ticketDurationMs: { cache: 5_000, executor: 5_000 },
    notBeforeMs: 0,
    beforeDelete: async (key, record) => {
      archived.push({ ...record, key, removedBy: worker });
    },
    onCommitted: (step) => reports.push({ key: step.key, revision: step.revision, worker }),
  });
}

describe("Orchestrator", () => {
  it("two instances over one cache finish every job, each step committed once", async () => {
    const { cache, keys } = await seeded(24);
    const archived: ArchivedJob[] = [];
    const reports: CommitReport[] = [];
    const instances = [
      orchestrator(cache, "a", archived, reports, 0.2),
      orchestrator(cache, "b", archived, reports, 0.2),
    ];
    for (const instance of instances) instance.start();
    await vi.waitFor(
      async () => expect(await cache.queryStatus(JOB_STATUSES, { includeOpenTickets: true })).toEqual([]),
      {
        timeout: 20_000,
        interval: 20,
      },
    );
    await Promise.all(instances.map((instance) => instance.stop()));
    const audit = auditRun(keys, archived, reports, new Set());
    expect(audit).toMatchObject({ completed: 24, lostJobs: 0, doubleCommits: 0 });
    expect(audit.problems).toEqual([]);
    expect(new Set(reports.map((r) => r.worker))).toEqual(new Set(["a", "b"]));
    // every job went through the executor states and ended in cleanup
    for (const job of archived) expect(job.history.at(-1)?.status).toBe("SCHEDULED_TO_REMOVE");
  });

  it("stops gracefully: no ticket is left held after stop()", async () => {
    const { cache } = await seeded(12);
    const instance = orchestrator(cache, "a", [], []);
    instance.start();
    await vi.waitFor(() => expect(instance.active).toBeGreaterThan(0), { timeout: 5_000, interval: 1 });
    await instance.stop();
    expect(instance.active).toBe(0);
    const visible = await cache.queryStatus(JOB_STATUSES);
    const all = await cache.queryStatus(JOB_STATUSES, { includeOpenTickets: true });
    expect(visible.length).toBe(all.length); // no entry hidden by a live ticket
  });

  it("backs off while the cache is unavailable, then carries on", async () => {
    const { cache } = await seeded(1);
    let failures = 3;
    const queryStatus: JobCache<JobRecord>["queryStatus"] = async (...args) => {
      if (failures-- > 0) throw new ECacheUnavailable("database restarting");
      return cache.queryStatus(...args);
    };
    const flaky = new Proxy(cache, {
      get: (target, name) => {
        if (name === "queryStatus") return queryStatus;
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const backoffs: number[] = [];
    const instance = new Orchestrator({
      cache: flaky,
      worker: "a",
      executor: new SimulatedExecutor({ delayMs: [0, 0] }),
      pollIntervalMs: 5,
      maxBackoffMs: 40,
      notBeforeMs: 0,
      onPollFailed: (_error, backoffMs) => backoffs.push(backoffMs),
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryKey("job-0")).toBeUndefined(), {
      timeout: 10_000,
      interval: 10,
    });
    await instance.stop();
    expect(backoffs).toEqual([5, 10, 20]);
  });

  it("rejects a capacity that is not a positive number", () => {
    expect(
      () =>
        new Orchestrator({
          cache: {} as JobCache<JobRecord>,
          worker: "a",
          executor: new SimulatedExecutor(),
          maxJobs: 0,
        }),
    ).toThrow(/maxJobs/);
  });
});
