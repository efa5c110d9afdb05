/**
 * A machine graph as Graphviz DOT: composite states as clusters (with an invisible anchor node so
 * edges can start or end on the cluster), initial states marked by a dot, final states doubled.
 * Edges keep their real source and target; `compound=true` clips them at cluster borders.
 * @module
 */
import { transitionLabel } from "./edge-placement.js";
import { allStates, type GraphState, type MachineGraph } from "./machine-graph.js";

const quote = (text: string): string => `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
const cluster = (id: string): string => quote(`cluster_${id}`);

/** Renders `graph` as DOT text. */
export function toDot(graph: MachineGraph): string {
  const composite = new Set(
    allStates(graph.root)
      .filter((s) => s.children.length > 0)
      .map((s) => s.id),
  );
  const lines = [
    `digraph ${quote(graph.id)} {`,
    "  compound=true;",
    "  rankdir=LR;",
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];

  const initialMark = (state: GraphState, indent: string): void => {
    if (state.initial === undefined) return;
    const mark = quote(state.id === "" ? "__initial" : `${state.id}.__initial`);
    const attributes = composite.has(state.initial) ? ` [lhead=${cluster(state.initial)}]` : "";
    lines.push(`${indent}${mark} [shape=point, width=0.12, label=""];`);
    lines.push(`${indent}${mark} -> ${quote(state.initial)}${attributes};`);
  };

  const emit = (state: GraphState, indent: string): void => {
    for (const child of state.children) {
      if (child.children.length > 0) {
        const style = child.type === "parallel" ? ", style=dashed" : "";
        lines.push(`${indent}subgraph ${cluster(child.id)} {`);
        lines.push(`${indent}  label=${quote(child.key)}${style};`);
        lines.push(`${indent}  ${quote(child.id)} [shape=point, style=invis, width=0, label=""];`);
        initialMark(child, `${indent}  `);
        emit(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        const shape = child.type === "final" ? ", shape=doublecircle" : "";
        lines.push(`${indent}${quote(child.id)} [label=${quote(child.key)}${shape}];`);
      }
    }
  };

  initialMark(graph.root, "  ");
  emit(graph.root, "  ");
  for (const t of graph.transitions) {
    const to = t.target ?? t.source;
    const attributes = [`label=${quote(transitionLabel(t))}`];
    if (to !== t.source) {
      if (composite.has(t.source) && !to.startsWith(`${t.source}.`))
        attributes.push(`ltail=${cluster(t.source)}`);
      if (composite.has(to) && !t.source.startsWith(`${to}.`)) attributes.push(`lhead=${cluster(to)}`);
    }
    lines.push(`  ${quote(t.source)} -> ${quote(to)} [${attributes.join(", ")}];`);
  }
  lines.push("}");
  return lines.join("\n");
}
