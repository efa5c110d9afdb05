/**
 * `jobcache/orchestrator`: the runtime, for running your own jobs hot-hot over a job cache.
 *
 * - {@link runTicketStep}: hold one key while an async function runs; heartbeats renew the
 *   ticket, the function's `AbortSignal` fires the moment the lease is lost, and the commit runs
 *   fenced under the still-live ticket.
 * - {@link createOrchestrator}: poll for jobs, run each step of your lifecycle (an XState
 *   machine, a status table, or TRAC's by default) under a ticket with your executor, and tell
 *   an operator what happens through typed events.
 * - {@link ticketMachine}, {@link jobMachine}: the statecharts, for inspection and diagrams.
 * - Executors: {@link commandExecutor} (a shell command a step) and {@link SimulatedExecutor}.
 * - {@link instrumentOrchestrator}: an orchestrator's events as OpenTelemetry metrics and spans.
 *
 * See docs/orchestrator.md.
 * @module
 */
export { type JobMachine, jobMachine } from "./machines/job-machine.js";
export type { ExpiredReason, TicketEmitted, TicketOutcome } from "./machines/ticket-events.js";
export { type TicketMachine, ticketMachine } from "./machines/ticket-machine.js";
export {
  type CommandExecutorOptions,
  type CommandResult,
  commandExecutor,
} from "./runtime/command-executor.js";
export { type Executor, type ExecutorCall, finishedOutcome } from "./runtime/executor.js";
export type { StepChange } from "./runtime/job-steps.js";
export {
  type JobLifecycle,
  type JobState,
  type LifecycleInput,
  type LifecycleStep,
  type MachineLifecycleOptions,
  machineLifecycle,
  type StatusRow,
  type StatusTable,
  type StepOutcome,
  type StepResult,
  statusTable,
  type TracJobValue,
  tracLifecycle,
} from "./runtime/lifecycle.js";
export {
  createOrchestrator,
  type Orchestrator,
  type OrchestratorOptions,
} from "./runtime/orchestrator.js";
export type { OrchestratorEvent, OrchestratorEvents } from "./runtime/orchestrator-events.js";
export {
  SimulatedExecutor,
  type SimulatedExecutorOptions,
} from "./runtime/simulated-executor.js";
export {
  instrumentOrchestrator,
  type Telemetry,
  type TelemetryOptions,
} from "./runtime/telemetry.js";
export {
  type CommitDone,
  type HeldTicket,
  runTicketStep,
  type TicketCache,
  type TicketStepOptions,
  type TicketStepOutcome,
} from "./runtime/ticket-actor.js";
