/**
 * A job lifecycle: which statuses have a step, what each step is, and what each outcome leads
 * to. The orchestrator asks only this interface, so a lifecycle can be an XState machine
 * ({@link machineLifecycle}: one atomic state per status, the step in its `meta`), a plain status
 * table ({@link statusTable}), or TRAC's job machine ({@link tracLifecycle}, the default).
 * @module
 */
import {
  type AnyStateMachine,
  type AnyStateNode,
  getNextTransitions,
  type StateValue,
  transition,
} from "xstate";
import { EInvalidArgument } from "../base/errors.js";
import type { JobContext } from "../machines/job-events.js";
import { jobMachine } from "../machines/job-machine.js";

/** What a step reports: an event of the lifecycle (`{ type: "step.done" }`, ...). */
export interface StepOutcome {
  readonly type: string;
}

/** The step an entry in `status` needs: what the executor is asked to do. */
export interface LifecycleStep {
  readonly status: string;
  /** The operation's name (TRAC's `schedule_launch`, your `resize_image`, ...). */
  readonly step: string;
  /** Which ticket length it gets: short cache steps or long executor calls (as TRAC). */
  readonly ticket: "cache" | "executor";
  /** Wait this long after the status was first seen before running the step. */
  readonly notBeforeMs?: number;
  /** The outcome types the lifecycle has a transition for here. */
  readonly outcomes: readonly string[];
}

/** A job as the cache holds it. */
export interface JobState<V> {
  readonly key: string;
  readonly status: string;
  readonly revision: number;
  readonly value: V;
}

/** What follows a step: write a status (and value), delete the entry, or write nothing. */
export type StepResult<V> =
  | { readonly kind: "update"; readonly status: string; readonly value: V }
  | { readonly kind: "delete" }
  | { readonly kind: "ignored" };

/** The orchestrator's view of a lifecycle. Implement it directly, or build one below. */
export interface JobLifecycle<V> {
  /** Statuses that have a step: the orchestrator polls for these. */
  readonly statuses: readonly string[];
  /** The status a new job starts in. */
  readonly initialStatus: string;
  /** The step for `status`, or `undefined` when the status has none (a terminal status). */
  step(status: string): LifecycleStep | undefined;
  /** What follows when the step of `job` reported `outcome`. */
  next(job: JobState<V>, outcome: StepOutcome): StepResult<V>;
}

/** One row of a {@link StatusTable}. */
export interface StatusRow {
  /** The operation run for this status; a row without one is terminal (never polled). */
  readonly step?: string;
  /** @defaultValue "cache" */
  readonly ticket?: "cache" | "executor";
  readonly notBeforeMs?: number;
  /** Outcome type -> next status; `null` deletes the entry. Outcomes not listed write nothing. */
  readonly on?: Readonly<Record<string, string | null>>;
}

/** A lifecycle as a table: status -> its step and where each outcome leads. The first row is initial. */
export type StatusTable = Readonly<Record<string, StatusRow>>;

const STATUS = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalid(message: string): EInvalidArgument {
  return new EInvalidArgument("lifecycle", `lifecycle: ${message}`);
}

/**
 * A lifecycle from a status table. The value is written unchanged (use the orchestrator's
 * `updateValue` to record something with each step), so the table fits any value type: `V`
 * left to its default (`never`) is accepted by an orchestrator of any value type.
 * @example
 * statusTable({
 *   NEW: { step: "resize", on: { "step.done": "RESIZED", "step.failed": "FAILED" } },
 *   RESIZED: { step: "publish", ticket: "executor", on: { "step.done": null } },
 *   FAILED: {},
 * });
 */
export function statusTable<V = never>(table: StatusTable): JobLifecycle<V> {
  const statuses = Object.keys(table);
  if (statuses.length === 0) throw invalid("the status table has no statuses");
  for (const status of statuses) {
    if (!STATUS.test(status)) throw invalid(`status ${JSON.stringify(status)} is not a valid status name`);
    for (const [outcome, target] of Object.entries(table[status]?.on ?? {})) {
      if (target !== null && !(target in table)) {
        throw invalid(
          `${status} on ${JSON.stringify(outcome)} leads to unknown status ${JSON.stringify(target)}`,
        );
      }
    }
  }
  const step = (status: string): LifecycleStep | undefined => {
    const row = Object.hasOwn(table, status) ? table[status] : undefined;
    if (row?.step === undefined) return undefined;
    return {
      status,
      step: row.step,
      ticket: row.ticket ?? "cache",
      ...(row.notBeforeMs === undefined ? {} : { notBeforeMs: row.notBeforeMs }),
      outcomes: Object.keys(row.on ?? {}),
    };
  };
  return {
    statuses: statuses.filter((status) => table[status]?.step !== undefined),
    initialStatus: statuses[0]!,
    step,
    next(job, outcome) {
      const on = table[job.status]?.on ?? {};
      if (!Object.hasOwn(on, outcome.type)) return { kind: "ignored" };
      const target = on[outcome.type];
      return target === null || target === undefined
        ? { kind: "delete" }
        : { kind: "update", status: target, value: job.value };
    },
  };
}

/** How a machine's context and a job's value map to each other. */
export interface MachineLifecycleOptions<V, C> {
  /** The machine's context for a job at this step. @defaultValue `{ revision }` */
  readonly context?: (job: JobState<V>) => C;
  /** The value written with the next status, from the context after the transition. @defaultValue the value unchanged */
  readonly value?: (job: JobState<V>, context: C) => V;
}

/** The nested state value of a node: `["a", "b", "X"]` -> `{ a: { b: "X" } }`. */
function stateValueOf(node: AnyStateNode): StateValue {
  return node.path.slice(0, -1).reduceRight<StateValue>((inner, key) => ({ [key]: inner }), node.key);
}

/** The status named by a state value: its innermost key. */
function statusOf(value: StateValue): string {
  return typeof value === "string" ? value : statusOf(Object.values(value)[0] as StateValue);
}

/**
 * A lifecycle from an XState machine: each atomic state whose `meta` has a `step` is a status
 * (its key), a final state reached deletes the entry, and an outcome that leaves the status and
 * context as they were writes nothing. Parallel states are not job statuses.
 */
export function machineLifecycle<V = never, C = { revision: number }>(
  machine: AnyStateMachine,
  options: MachineLifecycleOptions<V, C> = {},
): JobLifecycle<V> {
  const nodes = new Map<string, AnyStateNode>();
  const visit = (node: AnyStateNode): void => {
    if (node.type === "parallel") throw invalid(`parallel state ${node.id} cannot be a job status`);
    if (node.type === "atomic") {
      if (nodes.has(node.key)) throw invalid(`two states are named ${node.key}; statuses must be unique`);
      nodes.set(node.key, node);
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  const contextOf = options.context ?? ((job: JobState<V>) => ({ revision: job.revision }) as C);
  const nextValue = options.value ?? ((job: JobState<V>) => job.value);
  const snapshotAt = (job: JobState<V>) => {
    const node = nodes.get(job.status);
    if (node === undefined) throw invalid(`"${job.status}" is not a status of machine ${machine.id}`);
    return machine.resolveState({ value: stateValueOf(node), context: contextOf(job) });
  };
  const steps = new Map<string, LifecycleStep>();
  for (const [status, node] of nodes) {
    const meta = (node.meta ?? {}) as Partial<LifecycleStep>;
    if (typeof meta.step !== "string") continue;
    const probe = { key: "probe", status, revision: 1, value: undefined as V };
    const outcomes = new Set<string>();
    for (const t of getNextTransitions(snapshotAt(probe))) {
      if (t.eventType !== "" && !t.eventType.startsWith("xstate.")) outcomes.add(t.eventType);
    }
    steps.set(status, {
      status,
      step: meta.step,
      ticket: meta.ticket ?? "cache",
      ...(meta.notBeforeMs === undefined ? {} : { notBeforeMs: meta.notBeforeMs }),
      outcomes: [...outcomes],
    });
  }
  return {
    statuses: [...steps.keys()],
    initialStatus: initialStatusOf(machine) ?? [...nodes.keys()][0] ?? "",
    step: (status) => steps.get(status),
    next(job, outcome) {
      const before = snapshotAt(job);
      const [after] = transition(machine, before, outcome as never);
      if (after.status === "done") return { kind: "delete" };
      const status = statusOf(after.value);
      const context = after.context as C;
      if (status === job.status && JSON.stringify(context) === JSON.stringify(before.context)) {
        return { kind: "ignored" };
      }
      return { kind: "update", status, value: nextValue(job, context) };
    },
  };
}

/** The innermost initial state of a machine, without running it (no context factory called). */
function initialStatusOf(machine: AnyStateMachine): string | undefined {
  let node: AnyStateNode | undefined = machine.root;
  while (node !== undefined && node.type === "compound") {
    const key: string | undefined = node.initial?.target[0]?.key;
    node = key === undefined ? undefined : node.states[key];
  }
  return node?.key;
}

/** The value TRAC's lifecycle keeps its retry count in, when the job's value is an object. */
export interface TracJobValue {
  readonly retries?: number;
}

function retriesOf(value: unknown): number {
  const retries = (value as TracJobValue | null)?.retries;
  return typeof value === "object" && typeof retries === "number" ? retries : 0;
}

/**
 * TRAC's job lifecycle (QUEUED_IN_TRAC ... SCHEDULED_TO_REMOVE, then delete), the default. Its
 * retry count lives in the value's `retries` field (as in TRAC's job state), so values should be
 * objects; the machine's revision limit (100) ends a job going round in circles.
 */
export const tracLifecycle: JobLifecycle<TracJobValue> = machineLifecycle<TracJobValue, JobContext>(
  jobMachine,
  {
    context: (job) => ({ revision: job.revision, retries: retriesOf(job.value) }),
    value: (job, context) =>
      typeof job.value === "object" && job.value !== null && !Array.isArray(job.value)
        ? { ...job.value, retries: context.retries }
        : job.value,
  },
);

/** Any lifecycle form a user may pass: a {@link JobLifecycle}, an XState machine, or a status table. */
export type LifecycleInput<V> = JobLifecycle<V> | AnyStateMachine | StatusTable;

function isMachine(input: unknown): input is AnyStateMachine {
  return typeof (input as AnyStateMachine).resolveState === "function" && "root" in (input as object);
}

function isLifecycle<V>(input: unknown): input is JobLifecycle<V> {
  const candidate = input as JobLifecycle<V>;
  return typeof candidate.step === "function" && typeof candidate.next === "function";
}

/** The {@link JobLifecycle} for any accepted form; TRAC's when none is given. */
export function toLifecycle<V>(input: LifecycleInput<V> | undefined): JobLifecycle<V> {
  if (input === undefined) return tracLifecycle as JobLifecycle<V>;
  if (input === null || typeof input !== "object") {
    throw invalid("expected an XState machine, a status table, or a JobLifecycle");
  }
  if (isMachine(input)) return machineLifecycle<V>(input);
  if (isLifecycle<V>(input)) return input;
  return statusTable<V>(input as StatusTable);
}
