import { DataPointType, MeterProvider, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { createJobCacheManager, type JobCache, type JobCacheManager, type Logger } from "jobcache";
import {
  createOrchestrator,
  instrumentOrchestrator,
  type Orchestrator,
  SimulatedExecutor,
  statusTable,
  type Telemetry,
} from "jobcache/orchestrator";
import { afterEach, describe, expect, it, vi } from "vitest";

/** A reader the test collects from when it wants, instead of on a timer. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const managers: JobCacheManager[] = [];
const running: { orchestrator: Orchestrator; telemetry?: Telemetry }[] = [];
afterEach(async () => {
  for (const { orchestrator, telemetry } of running.splice(0)) {
    await orchestrator.stop();
    telemetry?.stop();
  }
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

const lifecycle = statusTable({
  NEW: { step: "prepare", on: { "step.done": "READY" } },
  READY: { step: "run", on: { "step.done": "DONE" } },
  DONE: { step: "cleanup", on: { "step.done": null } },
});

async function seeded(count: number): Promise<{ cache: JobCache<{ n: number }>; keys: string[] }> {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  managers.push(manager);
  const cache = manager.getCache<{ n: number }>("jobs");
  const keys = Array.from({ length: count }, (_, i) => `job-${i}`);
  for (const key of keys) {
    await using ticket = await cache.openNewTicket(key, 10_000);
    await cache.createEntry(ticket, "NEW", { n: 0 });
  }
  return { cache, keys };
}

function orchestratorOver(cache: JobCache<{ n: number }>, notBeforeMs = 0): Orchestrator {
  return createOrchestrator({
    cache,
    executor: new SimulatedExecutor({ delayMs: [0, 2] }),
    lifecycle,
    instanceId: "worker-a",
    maxJobs: 5,
    pollIntervalMs: 5,
    ticketDurationMs: 5_000,
    notBeforeMs,
  });
}

/** Sum of every data point of one metric, over all its attribute sets. */
function total(metrics: ResourceMetrics, name: string): number {
  const metric = metrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === name);
  if (metric === undefined) return 0;
  return metric.dataPoints.reduce((sum, point) => {
    const value = point.value as number | { count: number };
    return (
      sum +
      (metric.dataPointType === DataPointType.HISTOGRAM
        ? (value as { count: number }).count
        : (value as number))
    );
  }, 0);
}

describe("instrumentOrchestrator", () => {
  it("a run of 20 jobs yields the counters and one span per committed step", async () => {
    const { cache, keys } = await seeded(20);
    const reader = new CollectingReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const orchestrator = orchestratorOver(cache);
    const telemetry = instrumentOrchestrator(orchestrator, {
      meter: meterProvider.getMeter("test"),
      tracer: tracerProvider.getTracer("test"),
      ticketDurationMs: 5_000,
    });
    running.push({ orchestrator, telemetry });
    const committed: string[] = [];
    orchestrator.on("committed", (event) => committed.push(`${event.key}@${event.revision}`));
    orchestrator.start();
    await vi.waitFor(
      async () =>
        expect(await cache.queryStatus(["NEW", "READY", "DONE"], { includeOpenTickets: true })).toEqual([]),
      {
        timeout: 30_000,
        interval: 20,
      },
    );
    await orchestrator.stop();

    expect(committed).toHaveLength(keys.length * 3);
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    expect(total(resourceMetrics, "jobcache.commits")).toBe(committed.length);
    expect(total(resourceMetrics, "jobcache.grants")).toBe(committed.length);
    expect(total(resourceMetrics, "jobcache.step.duration")).toBe(committed.length);
    expect(total(resourceMetrics, "jobcache.grant.wait")).toBe(committed.length);
    expect(total(resourceMetrics, "jobcache.leases.lost")).toBe(0);
    expect(total(resourceMetrics, "jobcache.polls.failed")).toBe(0);
    const lag = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === "jobcache.event_loop.lag");
    expect(lag?.dataPoints[0]?.attributes).toEqual({ "jobcache.instance_id": "worker-a" });

    const finished = spans.getFinishedSpans();
    expect(finished).toHaveLength(committed.length);
    expect(new Set(finished.map((span) => span.name))).toEqual(new Set(["jobcache.step"]));
    const steps = finished.map(
      (span) => `${span.attributes["jobcache.key"]}@${span.attributes["jobcache.revision"]}`,
    );
    expect(steps.sort()).toEqual([...committed].sort());
    for (const span of finished) {
      expect(span.attributes["jobcache.instance_id"]).toBe("worker-a");
      expect(span.status.code).toBe(1); // OK
    }
    const first = finished.find(
      (span) => span.attributes["jobcache.key"] === "job-0" && span.attributes["jobcache.revision"] === 1,
    );
    expect(first?.attributes).toMatchObject({
      "jobcache.status": "NEW",
      "jobcache.new_status": "READY",
      "jobcache.new_revision": 2,
    });
  });

  it("without an SDK registered it runs on the API's no-op meter and tracer, and nothing throws", async () => {
    const { cache } = await seeded(3);
    const orchestrator = orchestratorOver(cache);
    const telemetry = instrumentOrchestrator(orchestrator);
    running.push({ orchestrator, telemetry });
    orchestrator.start();
    await vi.waitFor(
      async () =>
        expect(await cache.queryStatus(["NEW", "READY", "DONE"], { includeOpenTickets: true })).toEqual([]),
      {
        timeout: 30_000,
        interval: 20,
      },
    );
    expect(() => telemetry.stop()).not.toThrow();
  });

  it("counts a refused ticket as superseded: another holder has the job", async () => {
    const { cache } = await seeded(1);
    // the job is held outside; a cache that shows held jobs as free makes the orchestrator ask for it anyway
    const held = await cache.openTicket("job-0", 1, 10_000);
    const blind = new Proxy(cache, {
      get: (target, name) => {
        if (name === "queryStatus") {
          return (statuses: readonly string[], options = {}) =>
            target.queryStatus(statuses, { ...options, includeOpenTickets: true });
        }
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const reader = new CollectingReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    // a status with a wait is queried and opened, not claimed (a claim never returns a held job)
    const orchestrator = orchestratorOver(blind, 1);
    const telemetry = instrumentOrchestrator(orchestrator, { meter: meterProvider.getMeter("test") });
    running.push({ orchestrator, telemetry });
    const refused: unknown[] = [];
    orchestrator.on("superseded", (event) => refused.push(event));
    orchestrator.start();
    await vi.waitFor(() => expect(refused.length).toBeGreaterThanOrEqual(1), {
      timeout: 20_000,
      interval: 5,
    });
    await orchestrator.stop();
    await held.close();
    expect(refused[0]).toMatchObject({
      key: "job-0",
      revision: 1,
      instanceId: "worker-a",
      waitMs: expect.any(Number),
    });
    const { resourceMetrics } = await reader.collect();
    expect(total(resourceMetrics, "jobcache.superseded")).toBe(refused.length);
    expect(total(resourceMetrics, "jobcache.grants")).toBe(0);
  });

  it("warns through the logger when event-loop lag nears a third of the ticket duration", async () => {
    const { cache } = await seeded(0);
    const orchestrator = orchestratorOver(cache);
    const warnings: Record<string, unknown>[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      error() {},
      warn: (_message, facts = {}) => warnings.push(facts),
    };
    // a third of 150 ms is 50 ms: a 120 ms block of the event loop is well past it
    const telemetry = instrumentOrchestrator(orchestrator, { logger, ticketDurationMs: 150, lagCheckMs: 20 });
    running.push({ orchestrator, telemetry });
    // the lag under test: a busy loop, not a wait. Repeated until seen, since the delay monitor
    // measures from its first tick on and a block before that tick goes unrecorded.
    const block = (ms: number): void => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // busy
      }
    };
    await vi.waitFor(
      () => {
        if (warnings.length === 0) block(120);
        expect(warnings.length).toBeGreaterThanOrEqual(1);
      },
      { timeout: 10_000, interval: 30 },
    );
    expect(warnings[0]).toMatchObject({ ticketDurationMs: 150, instanceId: "worker-a" });
    expect(telemetry.eventLoopLagMs).toBeGreaterThanOrEqual(0);
  });

  it("rejects bad options with EInvalidArgument", async () => {
    const { cache } = await seeded(0);
    const orchestrator = orchestratorOver(cache);
    expect(() => instrumentOrchestrator(orchestrator, { ticketDurationMs: 0 })).toThrow(/ticketDurationMs/);
    expect(() => instrumentOrchestrator(orchestrator, { lagCheckMs: Number.NaN })).toThrow(/lagCheckMs/);
  });
});
