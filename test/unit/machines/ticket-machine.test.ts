import { describe, expect, it } from "vitest";
import { type AnyEventObject, initialTransition, transition } from "xstate";
import { ticketMachine } from "../../../src/machines/ticket-machine.js";
import {
  DURATION,
  emitted,
  ev,
  fakeTicket,
  grant,
  INPUT,
  plan,
  spawned,
  ticketError,
  unavailable,
} from "./ticket-fixtures.js";

type Snapshot = ReturnType<typeof initialTransition<typeof ticketMachine>>[0];

/** Sends the machine's internal events (actor results, timers) through the pure `transition`. */
function step(snapshot: Snapshot, event: AnyEventObject) {
  return transition(ticketMachine, snapshot, event as Parameters<typeof transition<typeof ticketMachine>>[2]);
}

function walk(...events: AnyEventObject[]): Snapshot {
  let [snapshot] = initialTransition(ticketMachine, INPUT);
  for (const event of events) [snapshot] = step(snapshot, event);
  return snapshot;
}

describe("ticket machine: requested", () => {
  it("starts by opening the ticket with the key, revision and duration", () => {
    const [snapshot, actions] = initialTransition(ticketMachine, INPUT);
    expect(snapshot.value).toBe("requested");
    expect(plan(actions)).toEqual(["spawn openTicket"]);
    expect(spawned(actions, "openTicket")?.input).toEqual({
      key: "job-1",
      revision: 3,
      durationMs: DURATION,
    });
  });

  it("takes null as the revision of a new ticket", () => {
    const [, actions] = initialTransition(ticketMachine, { ...INPUT, revision: null });
    expect(spawned(actions, "openTicket")?.input).toEqual({
      key: "job-1",
      revision: null,
      durationMs: DURATION,
    });
  });

  it("granted: starts the work and both timers from the time left on the lease", () => {
    const ticket = fakeTicket();
    const [snapshot, actions] = step(walk(), ev.opened(grant(ticket, 27_000, 1_027_000)));
    expect(snapshot.value).toEqual({ granted: { working: { heartbeat: "waiting" } } });
    expect(plan(actions)).toEqual([
      "stop open",
      "emit ticket:granted",
      "spawn work",
      "after leaseDeadline 27000",
      "after renewInterval 9000",
    ]);
    expect(spawned(actions, "work")?.input).toEqual({ ticket });
    expect(emitted(actions, "ticket:granted")).toEqual({ type: "ticket:granted", key: "job-1", revision: 3 });
    expect(snapshot.context).toMatchObject({ ticket, deadline: 1_027_000, remainingMs: 27_000 });
  });

  it.each([
    ["missing", { missing: true }, "ticket:missing"],
    ["superseded", { superseded: true }, "ticket:superseded"],
  ] as const)("%s: never works, closes the ticket", (state, fields, event) => {
    const ticket = fakeTicket(fields);
    const [snapshot, actions] = step(walk(), ev.opened(grant(ticket)));
    expect(snapshot.value).toBe(state);
    expect(plan(actions)).toEqual(["stop open", `emit ${event}`, "spawn closeTicket"]);
    expect(spawned(actions, "closeTicket")?.input).toEqual({ ticket });
    expect(snapshot.context.outcome).toEqual({ kind: state });
  });

  it("open fails: failed, nothing to close", () => {
    const error = unavailable();
    const [snapshot, actions] = step(walk(), ev.openFailed(error));
    expect(snapshot.value).toBe("failed");
    expect(plan(actions)).toEqual(["stop open", "abortWork", "emit ticket:failed", "spawn closeTicket"]);
    expect(spawned(actions, "closeTicket")?.input).toEqual({ ticket: undefined });
    expect(snapshot.context.outcome).toEqual({ kind: "failed", error });
  });

  it("cancelled while opening: failed with the reason", () => {
    const [snapshot] = step(walk(), ev.cancel("shutdown"));
    expect(snapshot.value).toBe("failed");
    expect(snapshot.context.outcome).toEqual({ kind: "failed", error: "shutdown" });
  });
});

describe("ticket machine: heartbeats", () => {
  const granted = () => walk(ev.opened());

  it("renews after a third of the lease with the current ticket and deadline", () => {
    const [snapshot, actions] = step(granted(), ev.renewDue());
    expect(snapshot.value).toEqual({ granted: { working: { heartbeat: "renewing" } } });
    expect(plan(actions)).toEqual(["cancel renewInterval", "spawn renewLease"]);
    expect(spawned(actions, "renewLease")?.input).toEqual({
      ticket: snapshot.context.ticket,
      durationMs: DURATION,
      deadline: DURATION,
    });
  });

  it("a renewal restarts both timers from the new lease and keeps the work running", () => {
    const renewedTicket = fakeTicket();
    const [snapshot, actions] = step(
      step(granted(), ev.renewDue())[0],
      ev.renewed(grant(renewedTicket, 29_000, 40_000)),
    );
    expect(snapshot.value).toEqual({ granted: { working: { heartbeat: "waiting" } } });
    expect(plan(actions)).toEqual([
      "stop renew",
      "cancel leaseDeadline",
      "emit ticket:renewed",
      "after leaseDeadline 29000",
      "after renewInterval 9666.666666666666",
    ]);
    expect(plan(actions)).not.toContain("spawn work");
    expect(plan(actions)).not.toContain("stop work");
    expect(snapshot.context).toMatchObject({ ticket: renewedTicket, deadline: 40_000, renewals: 1 });
    expect(emitted(actions, "ticket:renewed")).toEqual({ type: "ticket:renewed", key: "job-1", renewals: 1 });
  });

  it("heartbeat refused (ECacheTicket): expired 'lost', the work is aborted, the ticket closed", () => {
    const error = ticketError();
    const [snapshot, actions] = step(step(granted(), ev.renewDue())[0], ev.renewFailed(error));
    expect(snapshot.value).toBe("expired");
    expect(plan(actions)).toEqual([
      "stop renew",
      "cancel leaseDeadline",
      "stop work",
      "abortWork",
      "emit ticket:lost",
      "spawn closeTicket",
    ]);
    expect(snapshot.context.outcome).toEqual({ kind: "expired", reason: "lost", error });
    expect(emitted(actions, "ticket:lost")).toEqual({
      type: "ticket:lost",
      key: "job-1",
      reason: "lost",
      error,
    });
  });

  it("heartbeat failing otherwise (retries spent): expired 'renew-failed'", () => {
    const error = unavailable();
    const [snapshot] = step(step(granted(), ev.renewDue())[0], ev.renewFailed(error));
    expect(snapshot.context.outcome).toEqual({ kind: "expired", reason: "renew-failed", error });
  });

  it.each([
    ["waiting", [] as AnyEventObject[]],
    ["renewing", [ev.renewDue()]],
  ])("deadline while %s: expired 'deadline', work and renewal stopped", (_, before) => {
    const [snapshot, actions] = step(walk(ev.opened(), ...before), ev.deadline());
    expect(snapshot.value).toBe("expired");
    expect(plan(actions)).toContain("stop work");
    expect(plan(actions)).toContain("abortWork");
    expect(plan(actions)).not.toContain("spawn commit");
    expect(snapshot.context.outcome).toEqual({ kind: "expired", reason: "deadline" });
  });
});

describe("ticket machine: work and commit", () => {
  const working = () => walk(ev.opened());

  it("work done: commits its result under the ticket, timers cancelled", () => {
    const [snapshot, actions] = step(working(), ev.workDone({ answer: 42 }));
    expect(snapshot.value).toEqual({ granted: "committing" });
    expect(plan(actions)).toEqual([
      "cancel renewInterval",
      "cancel leaseDeadline",
      "stop work",
      "spawn commit",
    ]);
    expect(spawned(actions, "commit")?.input).toEqual({
      ticket: snapshot.context.ticket,
      result: { answer: 42 },
      deadline: DURATION,
    });
  });

  it("work failed: failed with the work's error", () => {
    const error = new Error("boom");
    const [snapshot, actions] = step(working(), ev.workFailed(error));
    expect(snapshot.value).toBe("failed");
    expect(plan(actions)).toContain("abortWork");
    expect(snapshot.context.outcome).toEqual({ kind: "failed", error });
  });

  it("cancelled while working: failed, work aborted", () => {
    const [snapshot, actions] = step(working(), ev.cancel("shutdown"));
    expect(snapshot.value).toBe("failed");
    expect(plan(actions)).toEqual(expect.arrayContaining(["stop work", "abortWork", "spawn closeTicket"]));
  });

  it("commit done: committed with the new revision, then closes", () => {
    const [snapshot, actions] = step(walk(ev.opened(), ev.workDone()), ev.committed(4));
    expect(snapshot.value).toBe("committed");
    expect(plan(actions)).toEqual(["stop commit", "emit ticket:committed", "spawn closeTicket"]);
    expect(snapshot.context.outcome).toEqual({ kind: "committed", revision: 4 });
  });

  it("commit refused by the store (ECacheTicket): expired 'fenced'", () => {
    const error = ticketError();
    const [snapshot] = step(walk(ev.opened(), ev.workDone()), ev.commitFailed(error));
    expect(snapshot.value).toBe("expired");
    expect(snapshot.context.outcome).toEqual({ kind: "expired", reason: "fenced", error });
  });

  it("commit failing otherwise: failed", () => {
    const error = unavailable();
    const [snapshot] = step(walk(ev.opened(), ev.workDone()), ev.commitFailed(error));
    expect(snapshot.value).toBe("failed");
    expect(snapshot.context.outcome).toEqual({ kind: "failed", error });
  });

  it("a cancel while committing is ignored: the store decides", () => {
    const committing = walk(ev.opened(), ev.workDone());
    const [snapshot, actions] = step(committing, ev.cancel());
    expect(snapshot.value).toEqual({ granted: "committing" });
    expect(actions).toEqual([]);
  });
});

describe("ticket machine: released", () => {
  it("closing ends the machine with the outcome as output", () => {
    const [snapshot, actions] = step(walk(ev.opened(), ev.workDone(), ev.committed(7)), ev.closed());
    expect(snapshot.value).toBe("released");
    expect(snapshot.status).toBe("done");
    expect(snapshot.output).toEqual({ kind: "committed", revision: 7 });
    expect(emitted(actions, "ticket:released")).toEqual({
      type: "ticket:released",
      key: "job-1",
      error: undefined,
    });
  });

  it("a failed close still releases, and says so in ticket:released", () => {
    const error = unavailable();
    const [snapshot, actions] = step(walk(ev.opened(), ev.deadline()), ev.closeFailed(error));
    expect(snapshot.status).toBe("done");
    expect(snapshot.output).toEqual({ kind: "expired", reason: "deadline" });
    expect(emitted(actions, "ticket:released")).toEqual({ type: "ticket:released", key: "job-1", error });
  });
});
