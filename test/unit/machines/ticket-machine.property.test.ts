/**
 * Random event orders through the pure ticket machine. At each step only events that could
 * really arrive are offered: results of the actors it has running, its own timers while their
 * state is active, and a cancel. Whatever the order: granted at most once, nothing commits after
 * expiry, every end closes the ticket exactly once, and the machine never crashes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AnyEventObject, initialTransition, transition } from "xstate";
import { ticketMachine } from "../../../src/machines/ticket-machine.js";
import { ev, fakeTicket, grant, INPUT, plan, ticketError, unavailable } from "./ticket-fixtures.js";

type Snapshot = ReturnType<typeof initialTransition<typeof ticketMachine>>[0];

/** The events that could arrive next in `snapshot`. */
function possibleEvents(snapshot: Snapshot): AnyEventObject[] {
  const events: AnyEventObject[] = [ev.cancel()];
  const running = Object.keys(snapshot.children);
  if (running.includes("open")) {
    events.push(
      ev.opened(grant()),
      ev.opened(grant(fakeTicket({ superseded: true }))),
      ev.opened(grant(fakeTicket({ missing: true }))),
      ev.openFailed(),
    );
  }
  if (running.includes("work")) events.push(ev.workDone(), ev.workFailed());
  if (running.includes("renew"))
    events.push(ev.renewed(), ev.renewFailed(ticketError()), ev.renewFailed(unavailable()));
  if (running.includes("commit"))
    events.push(ev.committed(), ev.commitFailed(ticketError()), ev.commitFailed(unavailable()));
  if (running.includes("close")) events.push(ev.closed(), ev.closeFailed());
  if (snapshot.matches({ granted: { working: "heartbeat" } })) events.push(ev.deadline());
  if (snapshot.matches({ granted: { working: { heartbeat: "waiting" } } })) events.push(ev.renewDue());
  return events;
}

const topState = (snapshot: Snapshot): string =>
  typeof snapshot.value === "string" ? snapshot.value : Object.keys(snapshot.value)[0]!;

describe("ticket machine under random event orders", () => {
  it("keeps its promises whatever arrives when", () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (choices) => {
        let [snapshot, actions] = initialTransition(ticketMachine, INPUT);
        const visited: string[] = [topState(snapshot)];
        const planned: string[] = [...plan(actions)];
        for (const choice of choices) {
          if (snapshot.status !== "active") break;
          const options = possibleEvents(snapshot);
          const event = options[choice % options.length]!;
          [snapshot, actions] = transition(ticketMachine, snapshot, event as never);
          expect(snapshot.status).not.toBe("error");
          if (topState(snapshot) !== visited.at(-1)) visited.push(topState(snapshot));
          planned.push(...plan(actions));
        }
        // granted only once
        expect(visited.filter((s) => s === "granted").length).toBeLessThanOrEqual(1);
        // never committed after expired, and no commit started after it
        const expiredAt = visited.indexOf("expired");
        if (expiredAt >= 0) {
          expect(visited.slice(expiredAt)).not.toContain("committed");
          const abortIndex = planned.indexOf("abortWork");
          expect(planned.slice(abortIndex)).not.toContain("spawn commit");
        }
        // committed only through a commit
        if (visited.includes("committed")) expect(planned).toContain("spawn commit");
        // at most one outcome state, and closing is planned once per outcome
        const outcomes = visited.filter((s) =>
          ["committed", "expired", "superseded", "missing", "failed"].includes(s),
        );
        expect(outcomes.length).toBeLessThanOrEqual(1);
        expect(planned.filter((a) => a === "spawn closeTicket").length).toBe(outcomes.length);
        if (snapshot.status === "done") {
          expect(snapshot.output?.kind).toBe(outcomes[0]);
          reached.add(`${snapshot.output?.kind}`);
        }
      }),
      { numRuns: 500 },
    );
    // the runs did reach every ending, so the checks above were exercised
    expect([...reached].sort()).toEqual(["committed", "expired", "failed", "missing", "superseded"]);
  });
});
