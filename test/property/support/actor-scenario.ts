/**
 * Runs an {@link ActorScenario}: several ticket actors (runTicketStep) taking job steps on ONE
 * key of a LOCAL cache, each its own "process" (manager), on one fake timeline: actors start at
 * planned times, read the entry, and run the step the job machine names for its status;
 * renewals fail, are refused or come back late as planned; the whole timeline stalls now and
 * then (a paused host: time jumps, no timer fires until it resumes). It records what the
 * invariants need.
 * @module
 */

import { sleep } from "../../../src/base/timers.js";
import type { CacheEntry, JobCache, JobCacheManager } from "../../../src/base/types.js";
import type { JobOutcome } from "../../../src/machines/job-events.js";
import { jobStepFor, nextJobStep } from "../../../src/machines/next-job-step.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import type { TicketEmitted, TicketOutcome } from "../../../src/runtime/ticket-actor.js";
import { runTicketStep } from "../../../src/runtime/ticket-actor.js";
import { FakeTimeline, settle } from "../../unit/runtime/fake-timeline.js";
import { ACTOR_DURATION_MS, ACTOR_KEY, type ActorPlan, type ActorScenario } from "./actor-plan.js";
import { faultyCache } from "./faulty-cache.js";
import { GrantLedger } from "./grant-ledger.js";
import { type LocalStoreFactory, localStoreFactory } from "./local-race-target.js";
import { dropSharedSpace, openSharedSpace, processConfig } from "./shared-local-plugin.js";

const CACHE = "jobs";

interface JobValue {
  readonly retries: number;
}

/** One write a commit made. */
export interface StepWrite {
  readonly actor: number;
  readonly at: number;
  readonly fromRevision: number;
  readonly fromStatus: string;
  /** 0 when the step deleted the entry. */
  readonly toRevision: number;
  readonly toStatus: string | undefined;
}

/** What one actor did. */
export interface ActorReport {
  readonly actor: number;
  outcome: TicketOutcome | undefined;
  readonly events: { readonly at: number; readonly type: TicketEmitted["type"] }[];
  readonly commitCalls: number[];
  /** The commit wrote (update or delete), rather than "nothing follows". */
  wrote: boolean;
}

/** Everything a scenario run recorded. */
export interface ScenarioReport {
  readonly actors: readonly ActorReport[];
  readonly writes: readonly StepWrite[];
  readonly ledgerViolations: readonly string[];
  /** The entry at the end, or undefined if a step removed it. */
  readonly finalEntry: { readonly revision: number; readonly status: string } | undefined;
  readonly liveLeasesAtEnd: number;
  readonly pendingTimersAtEnd: number;
  /** Actors still running when time stopped being moved (a hang). */
  readonly unfinishedActors: number;
}

function outcomeEvent(type: JobOutcome["type"]): JobOutcome {
  return type === "step.failed" ? { type, retryable: true } : ({ type } as JobOutcome);
}

/** Runs `scenario` on a LOCAL store (or the one `makeStore` builds). */
export async function runActorScenario(
  scenario: ActorScenario,
  makeStore: LocalStoreFactory = localStoreFactory,
): Promise<ScenarioReport> {
  const timeline = new FakeTimeline();
  const space = openSharedSpace(timeline, makeStore);
  const managers: JobCacheManager[] = [];
  const manager = async (name: string) => {
    const created = await createJobCacheManager(processConfig(space, name), { clock: timeline });
    managers.push(created);
    return created.getCache<JobValue>(CACHE);
  };
  const ledger = new GrantLedger(timeline);
  const writes: StepWrite[] = [];
  const reports: ActorReport[] = [];
  const running: Promise<void>[] = [];
  const finished = new Set<number>();

  const seed = await manager("seed");
  const seedTicket = await seed.openNewTicket(ACTOR_KEY, ACTOR_DURATION_MS);
  await seed.createEntry(seedTicket, "QUEUED_IN_TRAC", { retries: 0 });
  await seed.closeTicket(seedTicket);

  const runActor = async (actor: number, plan: ActorPlan): Promise<void> => {
    const report: ActorReport = { actor, outcome: undefined, events: [], commitCalls: [], wrote: false };
    reports.push(report);
    const cache = await manager(`actor-${actor}`);
    const entry = await cache.queryKey(ACTOR_KEY);
    if (entry === undefined) return;
    await step(actor, plan, report, cache, entry);
  };

  const step = async (
    actor: number,
    plan: ActorPlan,
    report: ActorReport,
    cache: JobCache<JobValue>,
    entry: CacheEntry<JobValue>,
  ): Promise<void> => {
    const position = { status: entry.status, revision: entry.revision, retries: entry.value.retries };
    const outcomes = jobStepFor(entry.status).outcomes;
    report.outcome = await runTicketStep<JobOutcome>({
      cache: faultyCache(cache, actor, plan.renewals, ledger, timeline),
      key: ACTOR_KEY,
      revision: entry.revision,
      durationMs: ACTOR_DURATION_MS,
      clock: timeline,
      timers: timeline,
      onEvent: (event) => report.events.push({ at: timeline.now(), type: event.type }),
      work: async (signal) => {
        ledger.check(actor, "started its work");
        await sleep(plan.workMs, timeline, signal);
        return outcomeEvent(outcomes[plan.outcome % outcomes.length] ?? "step.done");
      },
      commit: async (ticket, outcome) => {
        report.commitCalls.push(timeline.now());
        ledger.check(actor, "commits");
        ledger.checkHeld(actor, "commits");
        const next = nextJobStep(position, outcome);
        if (next.kind === "ignored") return entry.revision;
        const at = timeline.now();
        const wrote = (toRevision: number, toStatus: string | undefined): number => {
          report.wrote = true;
          const from = { fromRevision: entry.revision, fromStatus: entry.status };
          writes.push({ actor, at, ...from, toRevision, toStatus });
          return toRevision;
        };
        if (next.kind === "delete") {
          await cache.deleteEntry(ticket);
          return wrote(0, undefined);
        }
        return wrote(await cache.updateEntry(ticket, next.status, { retries: next.retries }), next.status);
      },
    });
  };

  scenario.actors.forEach((plan, actor) => {
    const run = () => runActor(actor, plan).finally(() => finished.add(actor));
    timeline.setTimeout(() => running.push(run()), plan.startAt);
  });
  for (const event of scenario.events) {
    if (event.kind === "pass") await timeline.passTime(event.ms);
    else {
      timeline.advance(event.ms);
      await settle();
    }
  }
  // let everything finish: every actor ends within a few leases once time keeps passing
  for (let round = 0; round < 200; round++) {
    if (finished.size === scenario.actors.length && timeline.pendingTimers === 0) break;
    await timeline.passTime(1_000);
  }
  const unfinished = scenario.actors.length - finished.size;
  if (unfinished === 0) await Promise.all(running);
  const final = await (await manager("check")).queryKey(ACTOR_KEY);
  const leases = (await space.store.listLeases?.(CACHE)) ?? [];
  const report: ScenarioReport = {
    actors: reports.sort((a, b) => a.actor - b.actor),
    writes,
    ledgerViolations: ledger.violations,
    finalEntry: final === undefined ? undefined : { revision: final.revision, status: final.status },
    liveLeasesAtEnd: leases.filter((l) => l.state === "granted" || l.state === "committed").length,
    pendingTimersAtEnd: timeline.pendingTimers,
    unfinishedActors: unfinished,
  };
  await Promise.all(managers.map((m) => m.close()));
  await dropSharedSpace(space);
  return report;
}
