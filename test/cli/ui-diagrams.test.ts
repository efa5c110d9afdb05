import { describe, expect, it } from "vitest";
import { decorateMermaid, machineViews } from "../../src/cli/ui/state-diagrams.js";
import type { LeaseInfo } from "../../src/store/store.js";

function leases(...states: LeaseInfo["state"][]): LeaseInfo[] {
  return states.map((state) => ({ state }) as LeaseInfo);
}

describe("live view statecharts", () => {
  it("writes the count into a bare, a composite and a final state's label, and highlights occupied ones", () => {
    const text = ["stateDiagram-v2", "  idle", "  state busy {", "    inner", "  }", "  done --> [*]"].join(
      "\n",
    );
    expect(decorateMermaid(text, { idle: 0, busy: 2, done: 5 }).split("\n")).toEqual([
      "stateDiagram-v2",
      '  state "idle · 0" as idle',
      '  state "busy · 2" as busy {',
      "    inner",
      "  }",
      '  state "done · 5" as done',
      "  done --> [*]",
      "  classDef occupied fill:#ffe082,stroke:#e65100,stroke-width:2px,color:#222",
      "  class busy,done occupied",
    ]);
    expect(decorateMermaid(text, {})).toBe(text);
  });

  it("counts lease rows per ticket state and entries per job status; other statuses apart", () => {
    const views = machineViews(leases("granted", "granted", "released", "expired"), [
      { cacheName: "a", status: "QUEUED_IN_TRAC", count: 3 },
      { cacheName: "b", status: "QUEUED_IN_TRAC", count: 2 },
      { cacheName: "b", status: "MY_OWN_STATUS", count: 1 },
    ]);
    expect(views.ticket.counts).toEqual({ granted: 2, committed: 0, released: 1, expired: 1 });
    expect(views.job.counts.QUEUED_IN_TRAC).toBe(5);
    expect(views.job.other).toEqual({ MY_OWN_STATUS: 1 });
    // only the job machine's atomic states are statuses: no count on groups or the final state
    expect(Object.keys(views.job.counts)).not.toContain("processing");
    expect(Object.keys(views.job.counts)).not.toContain("removed");
  });

  it("every counted state gets its label in the generated diagram (the diagram text still has the shapes it expects)", () => {
    const views = machineViews([], []);
    for (const view of [views.ticket, views.job]) {
      expect(Object.keys(view.counts).length).toBeGreaterThan(3);
      for (const state of Object.keys(view.counts))
        expect(view.mermaid).toContain(`state "${state} · 0" as ${state}`);
    }
  });
});
