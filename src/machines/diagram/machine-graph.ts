/**
 * A machine's states and transitions as plain data, read from its definition (`machine.root`
 * and each state node's transitions), so diagrams are generated, never drawn by hand.
 * @module
 */
import type { AnyStateMachine } from "xstate";

type AnyNode = AnyStateMachine["root"];

/** One state node. `id` is its path joined with dots (`granted.working`); the root's is "". */
export interface GraphState {
  readonly id: string;
  readonly key: string;
  readonly type: "atomic" | "compound" | "parallel" | "final" | "history";
  readonly description: string | undefined;
  /** The id of the initial child, for compound states. */
  readonly initial: string | undefined;
  /** Sources of the actors invoked while in this state. */
  readonly invokes: readonly string[];
  /** Named entry actions (inline functions are left out). */
  readonly entry: readonly string[];
  readonly children: readonly GraphState[];
}

/** One transition. `target` is undefined for a targetless one (it stays, running its actions). */
export interface GraphTransition {
  readonly source: string;
  readonly target: string | undefined;
  /** Readable trigger: `step.done`, `onDone(open)`, `onError(renew)`, `after leaseDeadline`, `always`. */
  readonly trigger: string;
  /** The guard's name; `else` for the unguarded fallback after guarded transitions of one event. */
  readonly guard: string | undefined;
  readonly actions: readonly string[];
  readonly reenter: boolean;
}

export interface MachineGraph {
  readonly id: string;
  readonly description: string | undefined;
  readonly root: GraphState;
  readonly transitions: readonly GraphTransition[];
}

function nodeId(node: AnyNode): string {
  return node.path.join(".");
}

/** A named action or guard, or undefined for inline functions and built-ins. */
function nameOf(item: unknown): string | undefined {
  if (typeof item === "string") return item;
  if (item !== null && typeof item === "object" && "type" in item && typeof item.type === "string")
    return item.type;
  return undefined;
}

/** Turns XState's internal event names into what a reader of the machine config recognises. */
function describeTrigger(eventType: string): string {
  if (eventType === "") return "always";
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return `onDone(${done[1]})`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return `onError(${error[1]})`;
  if (eventType.startsWith("xstate.done.state.")) return "onDone";
  return eventType;
}

function toState(node: AnyNode): GraphState {
  const children = Object.values(node.states).map(toState);
  return {
    id: nodeId(node),
    key: node.key,
    type: node.type,
    description: node.description,
    initial: node.type === "compound" ? node.initial.target.map(nodeId)[0] : undefined,
    invokes: node.invoke.map((definition) => String(definition.src)),
    entry: node.entry.map(nameOf).filter((name): name is string => name !== undefined),
    children,
  };
}

/** An unguarded transition after guarded ones for the same event is their `else`. */
function isFallback(definitions: readonly { eventType: string; guard?: unknown }[], index: number): boolean {
  const t = definitions[index]!;
  return index > 0 && definitions[index - 1]!.eventType === t.eventType && t.guard === undefined;
}

function transitionsOf(node: AnyNode): GraphTransition[] {
  const definitions = [...node.transitions.values()].flat().concat(node.always ?? []);
  const own = definitions.map(
    (t, index): GraphTransition => ({
      source: nodeId(node),
      target: t.target === undefined ? undefined : t.target.map(nodeId)[0],
      trigger: describeTrigger(t.eventType),
      guard: nameOf(t.guard) ?? (isFallback(definitions, index) ? "else" : undefined),
      actions: t.actions
        .map(nameOf)
        .filter((name): name is string => name !== undefined && !name.startsWith("xstate.")),
      reenter: t.reenter,
    }),
  );
  return own.concat(Object.values(node.states).flatMap(transitionsOf));
}

/** Reads a machine's states and transitions, in document order. */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  return {
    id: machine.id,
    description: machine.root.description,
    root: toState(machine.root),
    transitions: transitionsOf(machine.root),
  };
}

/** Every state of the graph, depth first, the root first. */
export function allStates(state: GraphState): GraphState[] {
  return [state, ...state.children.flatMap(allStates)];
}
