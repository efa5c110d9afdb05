import {
  createJobCacheManager,
  ECacheUnavailable,
  EInvalidArgument,
  type JobCache,
  type JobCacheManager,
} from "jobcache";
import {
  createOrchestrator,
  type Executor,
  type OrchestratorEvent,
  type OrchestratorOptions,
  SimulatedExecutor,
  statusTable,
  tracLifecycle,
} from "jobcache/orchestrator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { assign, setup } from "xstate";
import { type ArchivedJob, auditRun, type CommitReport, type JobRecord } from "../../../src/cli/run/audit.js";

const managers: JobCacheManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

async function cacheOf<V>(): Promise<JobCache<V>> {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  managers.push(manager);
  return manager.getCache<V>("jobs");
}

async function seed<V>(cache: JobCache<V>, keys: readonly string[], status: string, value: V): Promise<void> {
  for (const key of keys) {
    await using ticket = await cache.openNewTicket(key, 10_000);
    await cache.createEntry(ticket, status, value);
  }
}

async function seeded(count: number): Promise<{ cache: JobCache<JobRecord>; keys: string[] }> {
  const cache = await cacheOf<JobRecord>();
  const keys = Array.from({ length: count }, (_, i) => `job-${i}`);
  await seed(cache, keys, "QUEUED_IN_TRAC", {
    retries: 0,
    history: [{ revision: 1, status: "QUEUED_IN_TRAC", worker: "seed" }],
  });
  return { cache, keys };
}

/** A TRAC-lifecycle instance that records each step in the job's history, as `jobcache run` does. */
function tracInstance(
  cache: JobCache<JobRecord>,
  worker: string,
  archived: ArchivedJob[],
  reports: CommitReport[],
  extra: Partial<OrchestratorOptions<JobRecord>> = {},
) {
  const orchestrator = createOrchestrator<JobRecord>({
    cache,
    instanceId: worker,
    executor: new SimulatedExecutor({ delayMs: [0, 2], failureRate: 0.2 }),
    maxJobs: 4,
    pollIntervalMs: 5,
    ticketDurationMs: 5_000,
    notBeforeMs: 0,
    updateValue: ({ value, revision, status }) => ({
      ...value,
      history: [...value.history, { revision, status, worker }],
    }),
    beforeDelete: async (job) => {
      archived.push({ ...job.value, key: job.key, removedBy: worker });
    },
    ...extra,
  });
  orchestrator.on("committed", (event) =>
    reports.push({ key: event.key, revision: event.newRevision, worker: event.instanceId }),
  );
  return orchestrator;
}

const allGone = async (cache: JobCache<unknown>, statuses: readonly string[]) =>
  expect(await cache.queryStatus(statuses, { includeOpenTickets: true })).toEqual([]);

describe("createOrchestrator with TRAC's lifecycle (the default)", () => {
  it("two instances over one cache finish every job, each step committed once", async () => {
    const { cache, keys } = await seeded(24);
    const archived: ArchivedJob[] = [];
    const reports: CommitReport[] = [];
    const instances = [
      tracInstance(cache, "a", archived, reports),
      tracInstance(cache, "b", archived, reports),
    ];
    for (const instance of instances) instance.start();
    await vi.waitFor(() => allGone(cache, tracLifecycle.statuses), { timeout: 20_000, interval: 20 });
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
    const instance = tracInstance(cache, "a", [], []);
    instance.start();
    await vi.waitFor(() => expect(instance.active).toBeGreaterThan(0), { timeout: 20_000, interval: 1 });
    await instance.stop();
    expect(instance.active).toBe(0);
    const visible = await cache.queryStatus(tracLifecycle.statuses);
    const all = await cache.queryStatus(tracLifecycle.statuses, { includeOpenTickets: true });
    expect(visible.length).toBe(all.length); // no entry hidden by a live ticket
  });

  it("stop(grace) abandons a step that outlives the grace: its work is aborted, nothing committed", async () => {
    const cache = await cacheOf<{ n: number }>();
    await seed(cache, ["slow"], "TODO", { n: 0 });
    let aborted = false;
    const executor: Executor = {
      call: ({ signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
    };
    const events: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache,
      executor,
      lifecycle: statusTable({ TODO: { step: "work", on: { "step.done": "DONE" } }, DONE: {} }),
      pollIntervalMs: 5,
      onEvent: (event) => events.push(event),
    });
    instance.start();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("granted"), { timeout: 20_000 });
    await instance.stop(20);
    expect(aborted).toBe(true);
    expect(await cache.queryKey("slow")).toMatchObject({ status: "TODO", revision: 1 });
    expect(events.map((e) => e.type)).not.toContain("committed");
    // the abandoned step's ticket is closed: the job is free for another instance at once
    expect(await cache.queryStatus(["TODO"])).toHaveLength(1);
  });

  it("reports poll failures as events and backs off, then carries on", async () => {
    const { cache } = await seeded(1);
    let failures = 3;
    // the poll claims (claimStatus); the first three claims fail as a restarting database would
    const claimStatus: JobCache<JobRecord>["claimStatus"] = async (...args) => {
      if (failures-- > 0) throw new ECacheUnavailable("database restarting");
      return cache.claimStatus(...args);
    };
    const flaky = new Proxy(cache, {
      get: (target, name) => {
        if (name === "claimStatus") return claimStatus;
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const backoffs: number[] = [];
    const instance = tracInstance(flaky, "a", [], [], {
      executor: new SimulatedExecutor({ delayMs: [0, 0] }),
      maxBackoffMs: 40,
      failoverScanMs: 1_000_000,
    });
    instance.on("pollFailed", (event) => {
      expect(event).toMatchObject({ instanceId: "a", error: expect.any(ECacheUnavailable) });
      backoffs.push(event.backoffMs);
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryKey("job-0")).toBeUndefined(), {
      timeout: 20_000,
      interval: 10,
    });
    await instance.stop();
    expect(backoffs).toEqual([5, 10, 20]);
  });

  it("rejects bad options with EInvalidArgument before anything runs", async () => {
    const cache = await cacheOf<unknown>();
    const executor = new SimulatedExecutor();
    expect(() => createOrchestrator({ cache, executor, maxJobs: 0 })).toThrow(/maxJobs/);
    expect(() => createOrchestrator({ cache, executor, ticketDurationMs: -1 })).toThrow(EInvalidArgument);
    expect(() => createOrchestrator({ cache, executor: {} as Executor })).toThrow(/executor/);
    expect(() => createOrchestrator({ cache, executor, lifecycle: { A: { on: { x: "NOPE" } } } })).toThrow(
      /unknown status "NOPE"/,
    );
  });
});

describe("createOrchestrator with the user's own lifecycle", () => {
  it("runs a status table: each status's step, the outcome's next status, null deletes", async () => {
    const cache = await cacheOf<{ steps: string[] }>();
    await seed(cache, ["a", "b", "c"], "NEW", { steps: [] });
    const calls: string[] = [];
    const executor: Executor = {
      call: async ({ jobKey, step, fencingToken }) => {
        calls.push(`${jobKey}:${step.step}@${fencingToken}`);
        return jobKey === "c" && step.step === "resize" ? { type: "failed" } : { type: "done" };
      },
    };
    const events: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache,
      executor,
      instanceId: "me",
      pollIntervalMs: 5,
      lifecycle: statusTable({
        NEW: { step: "resize", on: { done: "RESIZED", failed: "FAILED" } },
        RESIZED: { step: "publish", ticket: "executor", on: { done: null } },
        FAILED: {},
      }),
      updateValue: ({ value, status }) => ({ steps: [...(value as { steps: string[] }).steps, status] }),
      onEvent: (event) => events.push(event),
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryKey("b")).toBeUndefined(), { timeout: 20_000 });
    await vi.waitFor(async () => expect(await cache.queryKey("c")).toMatchObject({ status: "FAILED" }), {
      timeout: 20_000,
    });
    await instance.stop();
    expect(await cache.queryKey("a")).toBeUndefined();
    expect((await cache.queryKey("c"))?.value).toEqual({ steps: ["FAILED"] });
    expect(calls.sort()).toEqual(["a:publish@2", "a:resize@1", "b:publish@2", "b:resize@1", "c:resize@1"]);
    const committed = events.filter((e) => e.type === "committed");
    expect(committed).toContainEqual(
      expect.objectContaining({ key: "a", revision: 1, newRevision: 2, status: "RESIZED", instanceId: "me" }),
    );
    expect(committed).toContainEqual(
      expect.objectContaining({ key: "a", revision: 2, newRevision: 0, status: null }),
    );
    expect(events.find((e) => e.type === "granted")).toMatchObject({
      instanceId: "me",
      waitMs: expect.any(Number),
    });
  });

  it("runs an XState setup() machine, its context carried in the value", async () => {
    const machine = setup({
      types: { context: {} as { attempts: number }, events: {} as { type: "ok" } | { type: "retry" } },
      guards: { canRetry: ({ context }) => context.attempts < 2 },
    }).createMachine({
      id: "upload",
      context: { attempts: 0 },
      initial: "PENDING",
      states: {
        PENDING: {
          meta: { step: "upload" },
          on: {
            ok: "UPLOADED",
            retry: [
              { guard: "canRetry", actions: assign({ attempts: ({ context }) => context.attempts + 1 }) },
              { target: "GAVE_UP" },
            ],
          },
        },
        UPLOADED: { type: "final" },
        GAVE_UP: {},
      },
    });
    const cache = await cacheOf<{ attempts: number }>();
    await seed(cache, ["x"], "PENDING", { attempts: 0 });
    const instance = createOrchestrator({
      cache,
      executor: { call: async () => ({ type: "retry" }) },
      lifecycle: machine,
      pollIntervalMs: 5,
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryKey("x")).toMatchObject({ status: "GAVE_UP" }), {
      timeout: 20_000,
    });
    await instance.stop();
    // the default machine mapping writes the value unchanged: retries are the machine's, via context
    expect((await cache.queryKey("x"))?.revision).toBe(2);
  });
});

describe("events", () => {
  it("renewals, then the commit, with key, revision, instance id and durations", async () => {
    const cache = await cacheOf<{ n: number }>();
    await seed(cache, ["held"], "TODO", { n: 0 });
    let release: () => void = () => {};
    const events: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache,
      instanceId: "i1",
      executor: {
        call: ({ signal }) =>
          new Promise((resolve, reject) => {
            release = () => resolve({ type: "done" });
            signal.addEventListener("abort", () => reject(signal.reason));
          }),
      },
      lifecycle: statusTable({ TODO: { step: "work", on: { done: "DONE" } }, DONE: {} }),
      ticketDurationMs: 1_500,
      pollIntervalMs: 5,
      onEvent: (event) => events.push(event),
    });
    instance.start();
    await vi.waitFor(() => expect(events.filter((e) => e.type === "renewed").length).toBeGreaterThan(1), {
      timeout: 20_000,
    });
    expect(events.find((e) => e.type === "renewed")).toMatchObject({
      key: "held",
      revision: 1,
      instanceId: "i1",
      heldMs: expect.any(Number),
    });
    release();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("committed"), { timeout: 20_000 });
    await instance.stop();
    expect(await cache.queryKey("held")).toMatchObject({ status: "DONE", revision: 2 });
  });

  it("a renewal that comes back with under a third of the lease left is reported late", async () => {
    const cache = await cacheOf<{ n: number }>();
    await seed(cache, ["slow-renewal"], "TODO", { n: 0 });
    // the store answers renewals slowly: sent after a third of the lease, back after two thirds
    const slow = new Proxy(cache, {
      get: (target, name) => {
        const value = Reflect.get(target, name);
        if (name !== "renewTicket") return typeof value === "function" ? value.bind(target) : value;
        return async (...args: Parameters<typeof cache.renewTicket>) => {
          await new Promise((resolve) => setTimeout(resolve, 160));
          return target.renewTicket(...args);
        };
      },
    });
    let finish: () => void = () => {};
    const events: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache: slow,
      instanceId: "i2",
      executor: { call: () => new Promise((resolve) => (finish = () => resolve({ type: "done" }))) },
      lifecycle: statusTable({ TODO: { step: "work", on: { done: "DONE" } }, DONE: {} }),
      ticketDurationMs: 300,
      pollIntervalMs: 5,
      onEvent: (event) => events.push(event),
    });
    instance.start();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("renewalLate"), { timeout: 20_000 });
    finish();
    await instance.stop();
    const late = events.find((e) => e.type === "renewalLate");
    expect(late).toMatchObject({ key: "slow-renewal", revision: 1, instanceId: "i2" });
    expect(late?.type === "renewalLate" && late.leftMs).toBeLessThan(100);
  });

  it("a job taken over from a holder whose lease ran out is reported as a failover", async () => {
    const cache = await cacheOf<{ n: number }>();
    await seed(cache, ["orphan"], "TODO", { n: 0 });
    // another instance holds the job and dies: its ticket is never renewed nor closed
    const dead = await cache.openTicket("orphan", 1, 400);
    expect(dead.superseded).toBe(false);
    const events: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache,
      instanceId: "survivor",
      executor: { call: async () => ({ type: "done" }) },
      lifecycle: statusTable({ TODO: { step: "work", on: { done: "DONE" } }, DONE: {} }),
      pollIntervalMs: 10,
      failoverScanMs: 10,
      onEvent: (event) => events.push(event),
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryKey("orphan")).toMatchObject({ status: "DONE" }), {
      timeout: 20_000,
    });
    await instance.stop();
    const failover = events.find((e) => e.type === "failover");
    expect(failover).toMatchObject({ key: "orphan", revision: 1, instanceId: "survivor" });
    expect(failover?.type === "failover" && failover.waitedMs).toBeGreaterThan(0);
    // a job nobody held is no failover
    expect(events.filter((e) => e.type === "failover")).toHaveLength(1);
  });
});
