/**
 * The ticket machine running as an actor on XState's SimulatedClock, with fake actors the test
 * controls: every timer is the machine's own (`after`), and time moves only when told.
 */

import { describe, expect, it } from "vitest";
import { createActor, fromPromise, SimulatedClock } from "xstate";
import type { LeaseGrant, TicketEmitted } from "../../../src/machines/ticket-events.js";
import { ticketMachine } from "../../../src/machines/ticket-machine.js";
import { DURATION, fakeTicket, INPUT, ticketError } from "./ticket-fixtures.js";

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Pending timers of a SimulatedClock (its map is private in the types, not at run time). */
const pendingTimers = (clock: SimulatedClock) =>
  (clock as unknown as { timeouts: Map<unknown, unknown> }).timeouts.size;

/** Starts the machine with fakes: renewals answered by `renew`, work settled by the test. */
function start(renew: (at: number) => Promise<LeaseGrant>) {
  const clock = new SimulatedClock();
  const work = deferred<unknown>();
  const workSignals: AbortSignal[] = [];
  const renewedAt: number[] = [];
  const committed: unknown[] = [];
  const closed: unknown[] = [];
  const aborted: unknown[] = [];
  const machine = ticketMachine.provide({
    actors: {
      openTicket: fromPromise(async () => ({
        ticket: fakeTicket(),
        deadline: DURATION,
        remainingMs: DURATION,
      })),
      work: fromPromise(({ signal }) => {
        workSignals.push(signal);
        return work.promise;
      }),
      renewLease: fromPromise(async () => {
        renewedAt.push(clock.now());
        return renew(clock.now());
      }),
      commit: fromPromise(async ({ input }) => {
        committed.push(input.result);
        return 4;
      }),
      closeTicket: fromPromise(async ({ input }) => {
        closed.push(input.ticket);
      }),
    },
    actions: { abortWork: ({ context }) => aborted.push(context.outcome) },
  });
  const actor = createActor(machine, { input: INPUT, clock });
  const events: TicketEmitted[] = [];
  actor.on("*", (event) => events.push(event));
  actor.start();
  /** Moves the simulated clock in small steps so each timer fires at its time, settling between. */
  const advance = async (ms: number, stepMs = 100) => {
    await flush();
    for (let t = 0; t < ms; t += stepMs) {
      clock.increment(Math.min(stepMs, ms - t));
      await flush();
    }
  };
  return { actor, clock, work, workSignals, renewedAt, committed, closed, aborted, events, advance };
}

const renewedGrant = (at: number): LeaseGrant => ({
  ticket: fakeTicket(),
  deadline: at + DURATION,
  remainingMs: DURATION,
});

describe("ticket machine on a simulated clock", () => {
  it("heartbeats every third of the lease while the work runs, then commits and releases", async () => {
    const run = start(async (at) => renewedGrant(at));
    await run.advance(45_000);
    expect(run.renewedAt).toEqual([10_000, 20_000, 30_000, 40_000]);
    run.work.resolve("result");
    await run.advance(0);
    expect(run.actor.getSnapshot().status).toBe("done");
    expect(run.actor.getSnapshot().output).toEqual({ kind: "committed", revision: 4 });
    expect(run.committed).toEqual(["result"]);
    expect(run.closed).toHaveLength(1);
    expect(run.events.map((e) => e.type)).toEqual([
      "ticket:granted",
      "ticket:renewed",
      "ticket:renewed",
      "ticket:renewed",
      "ticket:renewed",
      "ticket:committed",
      "ticket:released",
    ]);
    expect(pendingTimers(run.clock)).toBe(0);
  });

  it("heartbeat loss: expired at the failed renewal, work aborted, never commits even if it finishes", async () => {
    const run = start(async () => {
      throw ticketError();
    });
    await run.advance(10_000);
    expect(run.actor.getSnapshot().output).toMatchObject({ kind: "expired", reason: "lost" });
    expect(run.aborted).toHaveLength(1);
    expect(run.workSignals[0]?.aborted).toBe(true);
    expect(run.events.map((e) => e.type)).toContain("ticket:lost");
    run.work.resolve("too late");
    await run.advance(1_000);
    expect(run.committed).toEqual([]);
    expect(run.closed).toHaveLength(1);
    expect(pendingTimers(run.clock)).toBe(0);
  });

  it("deadline before renewal: a renewal that never answers ends in expired 'deadline' at the deadline", async () => {
    const run = start(() => new Promise<LeaseGrant>(() => {}));
    await run.advance(DURATION - 100);
    expect(run.actor.getSnapshot().value).toEqual({ granted: { working: { heartbeat: "renewing" } } });
    await run.advance(100);
    expect(run.actor.getSnapshot().output).toEqual({ kind: "expired", reason: "deadline" });
    expect(run.renewedAt).toEqual([10_000]);
    expect(run.committed).toEqual([]);
    expect(pendingTimers(run.clock)).toBe(0);
  });

  it("abort: step.cancel stops the work through its signal and releases", async () => {
    const run = start(async (at) => renewedGrant(at));
    await run.advance(5_000);
    run.actor.send({ type: "step.cancel", reason: "shutdown" });
    await run.advance(0);
    expect(run.actor.getSnapshot().output).toEqual({ kind: "failed", error: "shutdown" });
    expect(run.workSignals[0]?.aborted).toBe(true);
    expect(run.aborted).toEqual([{ kind: "failed", error: "shutdown" }]);
    expect(run.closed).toHaveLength(1);
    expect(pendingTimers(run.clock)).toBe(0);
  });
});
