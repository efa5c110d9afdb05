/**
 * The ticket and job statecharts of the live view: the Mermaid text `jobcache diagram` prints
 * (generated from the XState machines), with the number of actors in each state written into the
 * state's label and the occupied states highlighted. Mermaid lays the diagram out; nothing here
 * places a box.
 *
 * The counts come from what the database shows, not from running actors: a lease row's state is
 * the ticket machine's state of its holder (granted, committed, released, expired), and an
 * entry's status is the job machine's state of that job.
 * @module
 */
import { allStates, type GraphState, machineGraph } from "../../machines/diagram/machine-graph.js";
import { DIAGRAM_MACHINES, type DiagramMachineName, renderDiagram } from "../../machines/diagram/machines.js";
import type { EntryCount, LeaseInfo } from "../../store/store.js";

/** One machine as the page draws it. */
interface MachineView {
  /** Mermaid `stateDiagram-v2` text with counts in the labels of the states the database shows. */
  readonly mermaid: string;
  /** Actors per state, for every state the database can show (0 included). */
  readonly counts: Readonly<Record<string, number>>;
  /** Counts the machine has no state for (e.g. statuses of a user's own lifecycle). */
  readonly other: Readonly<Record<string, number>>;
}

/** Both machines of the live view. */
export interface MachineViews {
  readonly ticket: MachineView;
  readonly job: MachineView;
}

/** Lease states as the store reports them: each is the ticket machine state of the same name. */
const LEASE_STATES: readonly LeaseInfo["state"][] = ["granted", "committed", "released", "expired"];

const LIVE_CLASS = "classDef occupied fill:#ffe082,stroke:#e65100,stroke-width:2px,color:#222";

/** States of a machine by key, where Mermaid names them by key (the key is unique in the machine). */
function statesByKey(name: DiagramMachineName): Map<string, GraphState> {
  const states = allStates(machineGraph(DIAGRAM_MACHINES[name]).root).filter((state) => state.id !== "");
  const unique = states.filter((state) => states.filter((other) => other.key === state.key).length === 1);
  return new Map(unique.map((state) => [state.key, state]));
}

const KEYS: Record<DiagramMachineName, Map<string, GraphState>> = {
  ticket: statesByKey("ticket"),
  job: statesByKey("job"),
};
const BASE: Record<DiagramMachineName, string> = {
  ticket: renderDiagram("ticket", "mermaid"),
  job: renderDiagram("job", "mermaid"),
};

/**
 * Writes `counts` into the labels of `text`'s states. A state is declared by one of three line
 * shapes of {@link renderDiagram}'s output: a bare `id`, `state id {`, or `id --> [*]` (final).
 */
export function decorateMermaid(text: string, counts: Readonly<Record<string, number>>): string {
  const label = (id: string) => `state "${id} · ${counts[id]}" as ${id}`;
  const lines = text.split("\n").flatMap((line) => {
    const indent = line.slice(0, line.length - line.trimStart().length);
    const body = line.trim();
    if (counts[body] !== undefined) return [`${indent}${label(body)}`];
    const composite = /^state (\S+) \{$/.exec(body);
    if (composite?.[1] !== undefined && counts[composite[1]] !== undefined)
      return [`${indent}${label(composite[1])} {`];
    const final = /^(\S+) --> \[\*\]$/.exec(body);
    if (final?.[1] !== undefined && counts[final[1]] !== undefined)
      return [`${indent}${label(final[1])}`, line];
    return [line];
  });
  const occupied = Object.keys(counts).filter((id) => (counts[id] ?? 0) > 0);
  if (occupied.length > 0) lines.push(`  ${LIVE_CLASS}`, `  class ${occupied.join(",")} occupied`);
  return lines.join("\n");
}

function view(
  name: DiagramMachineName,
  measured: readonly string[],
  tally: Map<string, number>,
): MachineView {
  const counts: Record<string, number> = {};
  for (const state of measured) if (KEYS[name].has(state)) counts[state] = 0;
  const other: Record<string, number> = {};
  for (const [state, count] of tally) {
    if (KEYS[name].has(state)) counts[state] = count;
    else other[state] = count;
  }
  return { mermaid: decorateMermaid(BASE[name], counts), counts, other };
}

/** The machines with the actors the database shows in each state. */
export function machineViews(leases: readonly LeaseInfo[], entries: readonly EntryCount[]): MachineViews {
  const leaseTally = new Map<string, number>();
  for (const lease of leases) leaseTally.set(lease.state, (leaseTally.get(lease.state) ?? 0) + 1);
  const statusTally = new Map<string, number>();
  for (const entry of entries)
    statusTally.set(entry.status, (statusTally.get(entry.status) ?? 0) + entry.count);
  return {
    ticket: view("ticket", LEASE_STATES, leaseTally),
    // a job's status is one of the job machine's atomic states; its final state is "no entry"
    job: view(
      "job",
      [...KEYS.job.values()].filter((state) => state.type === "atomic").map((state) => state.key),
      statusTally,
    ),
  };
}
