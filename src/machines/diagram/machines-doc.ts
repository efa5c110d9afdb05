/**
 * docs/machines.md, generated: each machine's Mermaid diagram and a table of its states, all read
 * from the machine definitions. A test compares the file with this output, so the document
 * cannot drift from the code; regenerate it with `jobcache diagram --doc --write docs/machines.md`.
 * @module
 */
import { JOB_STATUSES } from "../job-events.js";
import { jobMachine } from "../job-machine.js";
import { jobStepFor } from "../next-job-step.js";
import { ticketMachine } from "../ticket-machine.js";
import { allStates, machineGraph } from "./machine-graph.js";
import { toMermaid } from "./to-mermaid.js";

const code = (text: string): string => `\`${text}\``;
const list = (items: readonly string[]): string => items.map(code).join(", ");

function ticketStateTable(): string[] {
  const rows = allStates(machineGraph(ticketMachine).root)
    .filter((s) => s.id !== "")
    .map((s) => `| ${code(s.id)} | ${list(s.invokes)} | ${list(s.entry)} | ${s.description ?? ""} |`);
  return ["| state | invokes | on entry | what it means |", "|---|---|---|---|", ...rows];
}

function jobStepTable(): string[] {
  const rows = JOB_STATUSES.map((status) => {
    const step = jobStepFor(status);
    const wait = step.notBeforeMs === undefined ? "" : `not before ${step.notBeforeMs / 1000} s`;
    return `| ${code(status)} | ${code(step.step)} | ${step.ticket} | ${list(step.outcomes)} | ${wait} |`;
  });
  return ["| status | step | ticket | outcomes it can report | when |", "|---|---|---|---|---|", ...rows];
}

/** The whole of docs/machines.md. */
export function renderMachinesDoc(): string {
  const ticket = machineGraph(ticketMachine);
  return [
    "# State machines",
    "",
    "<!-- Generated from src/machines by `jobcache diagram --doc --write docs/machines.md`",
    "     (npm run docs:machines). Do not edit: a test fails when this file differs from the machines. -->",
    "",
    "Both machines are pure XState v5 definitions built with `setup()`: no I/O, no timers of their own.",
    "The diagrams below are generated from the definitions (`machine.root` and its state nodes), as is",
    "`jobcache diagram ticket|job [--format mermaid|dot]`. Edges are drawn between sibling states; an",
    "edge from deeper inside names where it starts (`committing · onDone(commit)`). `onDone(x)` and",
    "`onError(x)` are the results of the invoked actor `x` (`xstate.done.actor.x`, `xstate.error.actor.x`).",
    "",
    "## Ticket machine",
    "",
    `\`src/machines/ticket-machine.ts\`: ${ticket.description ?? ""}. The lease layer`,
    "(`src/runtime/ticket-actor.ts`, `runTicketStep`) provides the actors: `openTicket`, `work`,",
    "`renewLease` (p-retry within the lease), `commit` and `closeTicket`, all through the `JobCache`",
    "interface, and runs the machine on injected timers.",
    "",
    "- Heartbeat: `after renewInterval` (a third of the lease left at the last grant or renewal) starts",
    "  `renewLease`; its success re-enters `heartbeat`, restarting both timers from the new lease.",
    "- `after leaseDeadline` (all of the lease left) fires if no renewal came back in time: `expired`.",
    "- A renewal refused by the store (`ECacheTicket`) is `expired` with reason `lost`; one that kept",
    "  failing is `renew-failed`. Both arrive as `xstate.error.actor.renew` plus a `ticket:lost` event.",
    "- `expired` and `failed` abort the work (`abortWork`) and never commit; a commit starts only from",
    "  `granted.working`. Once committing, the store's fencing decides (`fenced` if it refuses).",
    "- Every outcome closes its ticket, then `released` ends the machine with the outcome as output.",
    "",
    "```mermaid",
    toMermaid(ticket),
    "```",
    "",
    ...ticketStateTable(),
    "",
    "## Job machine",
    "",
    "`src/machines/job-machine.ts`: TRAC's job lifecycle. Each atomic state is a job status, and the",
    "cache entry's `status` is that state. One step: take an entry in some status, run the status's",
    "step under a ticket at the entry's revision, then write the status the machine reaches on the",
    "step's outcome (`updateEntry`), or delete the entry on reaching `removed`. `nextJobStep(position,",
    "outcome)` asks the machine (with the pure `transition` function); `jobStepFor(status)` reads the",
    "step from the state's `meta`.",
    "",
    "- Retry limit 2: a retryable `step.failed` repeats the status with one more retry, and",
    "  `EXECUTOR_FAILED` relaunches, until 2 retries are spent; then `PROCESSING_FAILED`.",
    "- Revision limit 100: in `processing`, a job whose entry revision has reached 100 goes to",
    "  `PROCESSING_FAILED` whatever its step reported (`always [revisionLimitReached]`).",
    "- Cleanup (`PROCESSING_FAILED` onwards) writes nothing when its step fails: polling retries it.",
    "",
    "```mermaid",
    toMermaid(machineGraph(jobMachine)),
    "```",
    "",
    ...jobStepTable(),
    "",
  ].join("\n");
}
