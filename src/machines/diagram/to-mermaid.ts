/**
 * A machine graph as a Mermaid `stateDiagram-v2`: composite states as nested blocks, parallel
 * regions separated by `--`, initial and final states as `[*]`, every edge between siblings.
 * @module
 */
import { placeEdge } from "./edge-placement.js";
import { allStates, type GraphState, type MachineGraph } from "./machine-graph.js";

/** Mermaid ids: the state's key where keys are unique in the machine, else its path with `_`. */
function namer(graph: MachineGraph): (id: string) => string {
  const states = allStates(graph.root).filter((s) => s.id !== "");
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s.key, (counts.get(s.key) ?? 0) + 1);
  const byId = new Map(states.map((s) => [s.id, s]));
  return (id) => {
    const state = byId.get(id);
    if (state === undefined) throw new RangeError(`no state "${id}" in machine "${graph.id}"`);
    return counts.get(state.key) === 1 ? state.key : id.replaceAll(".", "_");
  };
}

/** Renders `graph` as Mermaid text (no code fence). */
export function toMermaid(graph: MachineGraph): string {
  const name = namer(graph);
  const edges = new Map<string, string[]>();
  for (const t of graph.transitions) {
    const edge = placeEdge(t);
    const lines = edges.get(edge.scope) ?? [];
    lines.push(`${name(edge.from)} --> ${name(edge.to)} : ${edge.label}`);
    edges.set(edge.scope, lines);
  }

  const block = (state: GraphState, indent: string): string[] => {
    const lines: string[] = [];
    if (state.initial !== undefined) lines.push(`${indent}[*] --> ${name(state.initial)}`);
    state.children.forEach((child, index) => {
      if (state.type === "parallel" && index > 0) lines.push(`${indent}--`);
      if (child.children.length > 0) {
        lines.push(`${indent}state ${name(child.id)} {`, ...block(child, `${indent}  `), `${indent}}`);
      } else if (child.type === "final") {
        lines.push(`${indent}${name(child.id)} --> [*]`);
      } else {
        lines.push(`${indent}${name(child.id)}`);
      }
    });
    lines.push(...(edges.get(state.id) ?? []).map((line) => `${indent}${line}`));
    return lines;
  };

  return ["stateDiagram-v2", ...block(graph.root, "  ")].join("\n");
}
