import { describe, expect, it } from "vitest";
import { createMachine } from "xstate";
import { placeEdge } from "../../../src/machines/diagram/edge-placement.js";
import { allStates, machineGraph } from "../../../src/machines/diagram/machine-graph.js";
import { DIAGRAM_MACHINES, renderDiagram } from "../../../src/machines/diagram/machines.js";
import { toDot } from "../../../src/machines/diagram/to-dot.js";
import { toMermaid } from "../../../src/machines/diagram/to-mermaid.js";

const parentOf = (id: string) => id.split(".").slice(0, -1).join(".");
const names = Object.keys(DIAGRAM_MACHINES) as (keyof typeof DIAGRAM_MACHINES)[];

describe("machine graph: read from the definitions", () => {
  it.each(names)("%s: every state node and every transition is in the graph", (name) => {
    const machine = DIAGRAM_MACHINES[name];
    const graph = machineGraph(machine);
    const ids = allStates(graph.root).map((s) => s.id);
    const visit = (node: typeof machine.root): number =>
      [...node.transitions.values()].flat().length +
      (node.always?.length ?? 0) +
      Object.values(node.states).reduce((sum, child) => sum + visit(child), 0);
    expect(graph.transitions).toHaveLength(visit(machine.root));
    for (const t of graph.transitions) {
      expect(ids).toContain(t.source);
      if (t.target !== undefined) expect(ids).toContain(t.target);
    }
  });

  it("names triggers as the machine config does, and marks fallbacks `else`", () => {
    const graph = machineGraph(DIAGRAM_MACHINES.ticket);
    const renew = graph.transitions.filter((t) => t.source === "granted.working.heartbeat.renewing");
    expect(renew.map((t) => [t.trigger, t.guard, t.target])).toEqual([
      ["onDone(renew)", undefined, "granted.working.heartbeat"],
      ["onError(renew)", "isTicketError", "expired"],
      ["onError(renew)", "else", "expired"],
    ]);
    expect(renew[0]?.reenter).toBe(true);
    const heartbeat = graph.transitions.find((t) => t.source === "granted.working.heartbeat");
    expect(heartbeat?.trigger).toBe("after leaseDeadline");
    const requested = allStates(graph.root).find((s) => s.id === "requested");
    expect(requested?.invokes).toEqual(["openTicket"]);
    expect(allStates(graph.root).find((s) => s.id === "expired")?.entry).toEqual(["abortWork", "notifyLost"]);
  });
});

describe("edge placement: between siblings only", () => {
  const t = (source: string, target: string | undefined) => ({
    source,
    target,
    trigger: "go",
    guard: undefined,
    actions: ["count"],
    reenter: false,
  });

  it("siblings stay as they are", () => {
    expect(placeEdge(t("a.b", "a.c"))).toEqual({ scope: "a", from: "a.b", to: "a.c", label: "go" });
  });

  it("a deep source is lifted to the child of the common ancestor and named in the label", () => {
    expect(placeEdge(t("a.b.c", "d"))).toEqual({ scope: "", from: "a", to: "d", label: "b.c · go" });
  });

  it("a deep target is lifted too, and named after an arrow", () => {
    expect(placeEdge(t("a", "d.e"))).toEqual({ scope: "", from: "a", to: "d", label: "go → e" });
  });

  it("re-entering an ancestor is a loop on that ancestor", () => {
    expect(placeEdge(t("a.b.c", "a.b"))).toEqual({ scope: "a", from: "a.b", to: "a.b", label: "c · go" });
  });

  it("a targetless transition is a loop showing its actions", () => {
    expect(placeEdge(t("a.b", undefined))).toEqual({
      scope: "a",
      from: "a.b",
      to: "a.b",
      label: "go / count",
    });
  });
});

describe("mermaid", () => {
  it.each(names)("%s: one edge per transition, each between siblings, blocks balanced", (name) => {
    const graph = machineGraph(DIAGRAM_MACHINES[name]);
    const text = renderDiagram(name, "mermaid");
    const lines = text.split("\n").map((line) => line.trim());
    expect(lines[0]).toBe("stateDiagram-v2");
    const edges = lines.filter((line) => / --> /.test(line) && !line.includes("[*]"));
    expect(edges).toHaveLength(graph.transitions.length);
    for (const t of graph.transitions) {
      const edge = placeEdge(t);
      expect(parentOf(edge.from)).toBe(edge.scope);
      expect(parentOf(edge.to)).toBe(edge.scope);
    }
    expect(lines.filter((l) => l.endsWith("{")).length).toBe(lines.filter((l) => l === "}").length);
    for (const state of allStates(graph.root).filter((s) => s.id !== "")) {
      expect(text).toMatch(new RegExp(`(^|\\s)${state.key}(\\s|$)`, "m"));
    }
  });

  it("ticket: the heartbeat loss and deadline edges, initial and final states", () => {
    const text = renderDiagram("ticket", "mermaid");
    expect(text).toContain("  [*] --> requested");
    expect(text).toContain("  released --> [*]");
    expect(text).toContain(
      "granted --> expired : working.heartbeat.renewing · onError(renew) [isTicketError]",
    );
    expect(text).toContain("granted --> expired : working.heartbeat · after leaseDeadline");
    expect(text).toContain("heartbeat --> heartbeat : renewing · onDone(renew)");
    expect(text).toContain("waiting --> renewing : after renewInterval");
  });

  it("job: the limits and the retry loop", () => {
    const text = renderDiagram("job", "mermaid");
    expect(text).toContain("processing --> PROCESSING_FAILED : always [revisionLimitReached]");
    expect(text).toContain("processing --> processing : step.failed [retryableWithRetriesLeft] / countRetry");
    expect(text).toContain("EXECUTOR_FAILED --> LAUNCH_SCHEDULED : step.done [retriesLeft]");
    expect(text).toContain("SCHEDULED_TO_REMOVE --> removed : step.done");
  });

  it("parallel regions are separated by --, and repeated keys get path ids", () => {
    const machine = createMachine({
      id: "p",
      initial: "both",
      states: {
        both: {
          type: "parallel",
          states: {
            left: { initial: "idle", states: { idle: { on: { go: "busy" } }, busy: {} } },
            right: { initial: "idle", states: { idle: { on: { stop: "#p.done" } } } },
          },
        },
        done: { type: "final" },
      },
    });
    const text = toMermaid(machineGraph(machine));
    expect(text).toContain("state both {");
    expect(text.split("\n").map((l) => l.trim())).toContain("--");
    expect(text).toContain("both_left_idle --> busy : go");
    expect(text).toContain("both --> done : right.idle · stop");
  });
});

describe("dot", () => {
  it.each(names)("%s: one edge per transition, clusters for composite states", (name) => {
    const graph = machineGraph(DIAGRAM_MACHINES[name]);
    const text = toDot(graph);
    expect(text.startsWith(`digraph "${graph.id}" {`)).toBe(true);
    expect(text.trimEnd().endsWith("}")).toBe(true);
    const edges = text.split("\n").filter((l) => / -> /.test(l) && !l.includes("__initial"));
    expect(edges).toHaveLength(graph.transitions.length);
    const declared = new Set([...text.matchAll(/^\s*("[^"]+") \[/gm)].map((m) => m[1]));
    for (const edge of edges) {
      const [, from, to] = /^\s*("[^"]+") -> ("[^"]+")/.exec(edge) ?? [];
      expect(declared).toContain(from);
      expect(declared).toContain(to);
    }
    for (const state of allStates(graph.root).filter((s) => s.children.length > 0 && s.id !== "")) {
      expect(text).toContain(`subgraph "cluster_${state.id}" {`);
    }
    expect((text.match(/\{/g) ?? []).length).toBe((text.match(/\}/g) ?? []).length);
  });

  it("ticket: edges into a composite state end at its cluster", () => {
    const text = renderDiagram("ticket", "dot");
    expect(text).toContain(
      '"requested" -> "granted" [label="onDone(open) [else]", lhead="cluster_granted"];',
    );
    expect(text).toContain('"released" [label="released", shape=doublecircle];');
  });
});
