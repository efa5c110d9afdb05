/**
 * OpenTelemetry for an orchestrator: its operator events as counters, histograms and one span per
 * job step, plus an event-loop lag gauge that warns before a paused process starts losing leases.
 * Built on `@opentelemetry/api` alone (an optional peer dependency), loaded only when no meter or
 * tracer is passed, so `jobcache/orchestrator` loads without it. With no SDK registered the API's
 * no-op meter and tracer make all of this cost next to nothing.
 * @module
 */
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import type { Attributes, Meter, Span, Tracer } from "@opentelemetry/api";
import { ECacheConfig, EInvalidArgument } from "../base/errors.js";
import { type Logger, silentLogger } from "../base/logger.js";
import type { Orchestrator } from "./orchestrator.js";
import type { OrchestratorEvent } from "./orchestrator-events.js";

/** Settings of {@link instrumentOrchestrator}. */
export interface TelemetryOptions {
  /** Where the metrics go. @defaultValue `metrics.getMeter("jobcache")` of the global API */
  readonly meter?: Meter;
  /** Where the step spans go. @defaultValue `trace.getTracer("jobcache")` of the global API */
  readonly tracer?: Tracer;
  /** Gets the event-loop lag warning. @defaultValue silent */
  readonly logger?: Logger;
  /**
   * The shortest ticket duration the orchestrator uses (its `ticketDurationMs`, or the `cache`
   * one): lag near a third of it means renewals may come too late. @defaultValue 30000
   */
  readonly ticketDurationMs?: number;
  /** How often the event-loop lag is sampled and judged. @defaultValue 1000 */
  readonly lagCheckMs?: number;
}

/** A running instrumentation; `stop()` unsubscribes, stops the lag monitor and ends open spans. */
export interface Telemetry {
  /** The worst event-loop lag (ms) of the last sample period. */
  readonly eventLoopLagMs: number;
  stop(): void;
}

const PREFIX = "jobcache";
/** Lag counts as "near a third of the ticket" from this share of that third on. */
const NEAR = 0.8;
/** How often the lag probe ticks: a block of the event loop shows as that tick's delay. */
const PROBE_MS = 10;

type OtelApi = typeof import("@opentelemetry/api");

function otelApi(): OtelApi {
  try {
    return createRequire(import.meta.url)("@opentelemetry/api") as OtelApi;
  } catch (error) {
    throw new ECacheConfig(
      "instrumentOrchestrator needs @opentelemetry/api: install it (npm install @opentelemetry/api) or pass a meter and a tracer",
      { cause: error },
    );
  }
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new EInvalidArgument(
      name,
      `instrumentOrchestrator: ${name} must be a finite number > 0, got ${String(value)}`,
    );
  }
  return value;
}

function jobAttributes(event: { key: string; revision: number; instanceId: string }): Attributes {
  return {
    [`${PREFIX}.key`]: event.key,
    [`${PREFIX}.revision`]: event.revision,
    [`${PREFIX}.instance_id`]: event.instanceId,
  };
}

/**
 * Reports what `orchestrator` does through OpenTelemetry. Metrics (all with the attribute
 * `jobcache.instance_id`): counters `jobcache.grants`, `jobcache.superseded`, `jobcache.renewals`,
 * `jobcache.renewals.late`, `jobcache.leases.lost` (with `jobcache.reason`), `jobcache.commits`,
 * `jobcache.failovers`, `jobcache.steps.failed`, `jobcache.polls.failed`; histograms
 * `jobcache.step.duration` and `jobcache.grant.wait` (ms); gauge `jobcache.event_loop.lag` (ms).
 * Spans: `jobcache.step` from grant to commit or loss, with `jobcache.key`, `jobcache.revision`,
 * `jobcache.instance_id`.
 * @example
 * const telemetry = instrumentOrchestrator(orchestrator, { ticketDurationMs: 30_000, logger });
 * orchestrator.start();
 * // ... on shutdown
 * await orchestrator.stop();
 * telemetry.stop();
 */
export function instrumentOrchestrator(
  orchestrator: Orchestrator,
  options: TelemetryOptions = {},
): Telemetry {
  const api = options.meter === undefined || options.tracer === undefined ? otelApi() : undefined;
  const meter = options.meter ?? (api as OtelApi).metrics.getMeter(PREFIX);
  const tracer = options.tracer ?? (api as OtelApi).trace.getTracer(PREFIX);
  const logger = options.logger ?? silentLogger;
  const ticketDurationMs = positive("ticketDurationMs", options.ticketDurationMs ?? 30_000);
  const lagCheckMs = positive("lagCheckMs", options.lagCheckMs ?? 1000);

  const counter = (name: string, description: string) =>
    meter.createCounter(`${PREFIX}.${name}`, { description });
  const grants = counter("grants", "Tickets granted for a job step");
  const superseded = counter(
    "superseded",
    "Tickets refused: another instance holds the job or moved it on (contention)",
  );
  const renewals = counter("renewals", "Ticket renewals");
  const lateRenewals = counter(
    "renewals.late",
    "Renewals that came back with under a third of the lease left",
  );
  const lostLeases = counter("leases.lost", "Leases that ended before the step committed");
  const commits = counter("commits", "Job steps committed");
  const failovers = counter("failovers", "Jobs taken over from another instance");
  const stepFailures = counter(
    "steps.failed",
    "Steps that ended without a commit for another reason than a lost lease",
  );
  const pollFailures = counter("polls.failed", "Polls of the cache that failed");
  const stepDuration = meter.createHistogram(`${PREFIX}.step.duration`, {
    description: "From asking for a step's ticket to its commit",
    unit: "ms",
  });
  const grantWait = meter.createHistogram(`${PREFIX}.grant.wait`, {
    description: "From asking for a ticket to its grant",
    unit: "ms",
  });

  // A probe timer's delay is the lag (what monitorEventLoopDelay measures too, but its reset()
  // drops a delay its timer has not recorded yet, so a block right before a sample went unseen).
  let worstMs = 0;
  let lastTick = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    worstMs = Math.max(worstMs, now - lastTick - PROBE_MS);
    lastTick = now;
  }, PROBE_MS);
  probe.unref();
  let lagMs = 0;
  let warned = false;
  const lagGauge = meter.createObservableGauge(`${PREFIX}.event_loop.lag`, {
    description:
      "Worst event-loop delay of the last sample period; near a third of a ticket, renewals come late",
    unit: "ms",
  });
  const observeLag = (result: { observe(value: number, attributes?: Attributes): void }) =>
    result.observe(lagMs, { [`${PREFIX}.instance_id`]: orchestrator.instanceId });
  lagGauge.addCallback(observeLag);
  const sampler = setInterval(() => {
    lagMs = Math.max(0, worstMs);
    worstMs = 0;
    const near = lagMs >= (ticketDurationMs / 3) * NEAR;
    if (near && !warned) {
      logger.warn("event-loop lag nears a third of the ticket duration: renewals may come too late", {
        lagMs: Math.round(lagMs),
        ticketDurationMs,
        instanceId: orchestrator.instanceId,
      });
    }
    warned = near;
  }, lagCheckMs);
  sampler.unref();

  /** The span of the step each key is in; one step per key at a time on one instance. */
  const spans = new Map<string, Span>();
  const endSpan = (key: string, end: (span: Span) => void): void => {
    const span = spans.get(key);
    if (span === undefined) return;
    spans.delete(key);
    end(span);
    span.end();
  };
  const failSpan = (key: string, message: string, error?: unknown): void =>
    endSpan(key, (span) => {
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: 2 /* SpanStatusCode.ERROR */, message });
    });

  const onEvent = (event: OrchestratorEvent): void => {
    const instance = { [`${PREFIX}.instance_id`]: event.instanceId };
    switch (event.type) {
      case "granted":
        grants.add(1, instance);
        grantWait.record(event.waitMs, instance);
        // a step that wrote nothing (its outcome ignored) sends no end event: the next grant ends it
        endSpan(event.key, () => {});
        spans.set(
          event.key,
          tracer.startSpan(`${PREFIX}.step`, {
            attributes: { ...jobAttributes(event), [`${PREFIX}.status`]: event.status },
          }),
        );
        break;
      case "superseded":
        superseded.add(1, instance);
        break;
      case "renewed":
        renewals.add(1, instance);
        break;
      case "renewalLate":
        lateRenewals.add(1, instance);
        spans.get(event.key)?.addEvent("renewal late", { [`${PREFIX}.left_ms`]: event.leftMs });
        break;
      case "leaseLost":
        lostLeases.add(1, { ...instance, [`${PREFIX}.reason`]: event.reason });
        failSpan(event.key, `lease lost: ${event.reason}`, event.error);
        break;
      case "committed":
        commits.add(1, instance);
        stepDuration.record(event.stepMs, instance);
        endSpan(event.key, (span) => {
          span.setAttributes({
            [`${PREFIX}.new_revision`]: event.newRevision,
            [`${PREFIX}.new_status`]: event.status ?? "(deleted)",
          });
          span.setStatus({ code: 1 /* SpanStatusCode.OK */ });
        });
        break;
      case "failover":
        failovers.add(1, instance);
        break;
      case "stepFailed":
        stepFailures.add(1, instance);
        failSpan(event.key, "step failed", event.error);
        break;
      case "pollFailed":
        pollFailures.add(1, instance);
        break;
    }
  };
  const unsubscribe = orchestrator.on("*", onEvent);

  return {
    get eventLoopLagMs() {
      return lagMs;
    },
    stop() {
      unsubscribe();
      clearInterval(sampler);
      clearInterval(probe);
      lagGauge.removeCallback(observeLag);
      for (const key of [...spans.keys()]) endSpan(key, () => {});
    },
  };
}
