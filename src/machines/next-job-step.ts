/**
 * The orchestrator's questions to the job machine: what is the step for this status, and what
 * follows when it reports this outcome. Answered with the pure `transition` function, so the
 * machine definition is the only place the lifecycle is written down.
 * @module
 */
import { getNextTransitions, type StateValue, transition } from "xstate";
import { EInvalidArgument } from "../base/errors.js";
import {
  JOB_STATUSES,
  type JobOutcome,
  type JobPosition,
  type JobStatus,
  type JobStepMeta,
} from "./job-events.js";
import { jobMachine } from "./job-machine.js";

/** What the orchestrator does after a step: write a status, delete the entry, or write nothing. */
export type JobStepResult =
  /** `updateEntry(ticket, status, { ...value, retries })`; the status may repeat, with one more retry. */
  | { readonly kind: "update"; readonly status: JobStatus; readonly retries: number }
  /** `deleteEntry(ticket)`: the job reached `removed`. */
  | { readonly kind: "delete" }
  /** No status follows from this outcome here (a poll with no news): close the ticket, write nothing. */
  | { readonly kind: "ignored" };

/** The step for one status: the operation to run, its ticket kind, and the outcomes it can report. */
export interface JobStep extends JobStepMeta {
  readonly status: JobStatus;
  readonly outcomes: readonly JobOutcome["type"][];
}

type JobNode = typeof jobMachine.root;

/** Every status node of the machine by its key: the atomic states under the root. */
function statusNodes(): Map<string, JobNode> {
  const found = new Map<string, JobNode>();
  const visit = (node: JobNode): void => {
    if (node.type === "atomic") found.set(node.key, node);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(jobMachine.root);
  return found;
}

const nodes = statusNodes();

/** The nested state value of a node: `["processing", "executor", "X"]` -> `{ processing: { executor: "X" } }`. */
function stateValueOf(node: JobNode): StateValue {
  return node.path.slice(0, -1).reduceRight<StateValue>((inner, key) => ({ [key]: inner }), node.key);
}

/** The status named by a state value: its innermost key. */
function statusOf(value: StateValue): string {
  return typeof value === "string" ? value : statusOf(Object.values(value)[0] as StateValue);
}

/** True when `status` is one of the job machine's statuses. */
export function isJobStatus(status: string): status is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(status);
}

function requireStatus(status: string): JobNode {
  const node = isJobStatus(status) ? nodes.get(status) : undefined;
  if (node === undefined) {
    throw new EInvalidArgument(
      "status",
      `"${status}" is not a job status; expected one of ${JOB_STATUSES.join(", ")}`,
    );
  }
  return node;
}

function snapshotAt(position: JobPosition) {
  const node = requireStatus(position.status);
  return jobMachine.resolveState({
    value: stateValueOf(node),
    context: { revision: position.revision, retries: position.retries },
  });
}

/**
 * The step to run for an entry in `status`: what TRAC's `getNextOperation` answers, read from the
 * machine (state `meta` for the operation, outgoing transitions for the outcomes).
 * @example
 * jobStepFor("QUEUED_IN_TRAC"); // { status, step: "schedule_launch", ticket: "cache", outcomes: [...] }
 */
export function jobStepFor(status: string): JobStep {
  const node = requireStatus(status);
  const meta = node.meta as JobStepMeta;
  const outcomes = new Set<JobOutcome["type"]>();
  for (const t of getNextTransitions(snapshotAt({ status, revision: 0, retries: 0 }))) {
    if (!t.eventType.startsWith("xstate.") && t.eventType !== "")
      outcomes.add(t.eventType as JobOutcome["type"]);
  }
  return { ...meta, status: status as JobStatus, outcomes: [...outcomes] };
}

/**
 * What follows a step of the job at `position` that reported `outcome`, as the machine says.
 * Throws `EInvalidArgument` for a status that is not a job status.
 * @example
 * nextJobStep({ status: "QUEUED_IN_TRAC", revision: 1, retries: 0 }, { type: "step.done" });
 * // { kind: "update", status: "LAUNCH_SCHEDULED", retries: 0 }
 */
export function nextJobStep(position: JobPosition, outcome: JobOutcome): JobStepResult {
  const before = snapshotAt(position);
  const [after] = transition(jobMachine, before, outcome);
  if (after.status === "done") return { kind: "delete" };
  const status = statusOf(after.value);
  if (status === position.status && after.context.retries === position.retries) return { kind: "ignored" };
  return { kind: "update", status: status as JobStatus, retries: after.context.retries };
}
