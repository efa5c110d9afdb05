/**
 * Where a transition is drawn. Mermaid cannot draw an edge between states of different composite
 * states, so every edge is drawn between siblings: from the source's ancestor (or itself) that is a
 * child of the lowest common ancestor, to the target's. The label keeps what was lifted
 * (`renewing · onError(renew)`), so no information is lost.
 * @module
 */
import type { GraphTransition } from "./machine-graph.js";

/** An edge between siblings inside `scope` (a state id; "" is the root). */
export interface PlacedEdge {
  readonly scope: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

const segments = (id: string): string[] => (id === "" ? [] : id.split("."));
const join = (parts: readonly string[]): string => parts.join(".");

/** `trigger [guard] / actions`; actions are shown only on targetless transitions, their whole point. */
export function transitionLabel(t: GraphTransition): string {
  const guard = t.guard === undefined ? "" : ` [${t.guard}]`;
  const actions = t.target === undefined && t.actions.length > 0 ? ` / ${t.actions.join(", ")}` : "";
  return `${t.trigger}${guard}${actions}`;
}

/** Places one transition between siblings (see the module comment). */
export function placeEdge(t: GraphTransition): PlacedEdge {
  const label = transitionLabel(t);
  const source = segments(t.source);
  if (t.target === undefined) {
    return { scope: join(source.slice(0, -1)), from: t.source, to: t.source, label };
  }
  const target = segments(t.target);
  let common = 0;
  while (common < source.length && common < target.length && source[common] === target[common]) common++;
  if (common === target.length) {
    // the target is the source or one of its ancestors: drawn as a loop on the target
    const via = source.slice(target.length).join(".");
    return {
      scope: join(target.slice(0, -1)),
      from: t.target,
      to: t.target,
      label: via === "" ? label : `${via} · ${label}`,
    };
  }
  const from = join(source.slice(0, common + 1));
  const to = join(target.slice(0, common + 1));
  const liftedFrom = from === t.source ? "" : `${source.slice(common + 1).join(".")} · `;
  const liftedTo = to === t.target ? "" : ` → ${target.slice(common + 1).join(".")}`;
  return { scope: join(source.slice(0, common)), from, to, label: `${liftedFrom}${label}${liftedTo}` };
}
