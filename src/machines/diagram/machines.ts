/**
 * The machines that can be drawn, by the name `jobcache diagram` takes.
 * @module
 */
import type { AnyStateMachine } from "xstate";
import { jobMachine } from "../job-machine.js";
import { ticketMachine } from "../ticket-machine.js";
import { machineGraph } from "./machine-graph.js";
import { toDot } from "./to-dot.js";
import { toMermaid } from "./to-mermaid.js";

/** Drawable machines by name. */
export const DIAGRAM_MACHINES = { ticket: ticketMachine, job: jobMachine } as const satisfies Record<
  string,
  AnyStateMachine
>;

export type DiagramMachineName = keyof typeof DIAGRAM_MACHINES;
export type DiagramFormat = "mermaid" | "dot";

export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ["mermaid", "dot"];

/** The diagram of machine `name` in `format`, generated from its definition. */
export function renderDiagram(name: DiagramMachineName, format: DiagramFormat): string {
  const graph = machineGraph(DIAGRAM_MACHINES[name]);
  return format === "dot" ? toDot(graph) : toMermaid(graph);
}
