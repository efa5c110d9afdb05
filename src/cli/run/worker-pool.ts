import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { ParentMessage, WorkerMessage, WorkerSettings } from "./messages.js";

/** The worker's entry module next to this one: `.ts` when running from sources, `.js` from dist. */
function workerModule(): string {
  const here = fileURLToPath(import.meta.url);
  return here.replace(/worker-pool\.(ts|js)$/, "worker-main.$1");
}

/** One orchestrator child process. */
export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  killed: boolean;
  /** Resolves with the exit code (or signal name) once the process has gone. */
  readonly exited: Promise<number | string>;
}

/** Sends to a worker that may have gone already (killed, crashed): never throws, never emits. */
function tell(worker: WorkerProcess, message: ParentMessage): void {
  if (worker.child.connected) worker.child.send(message, undefined, {}, () => {});
}

/**
 * Starts `count` orchestrator processes and routes their messages to `onMessage`. Each gets its
 * settings over IPC, and inherits Node's own flags (so a run from sources keeps its loader).
 */
export function startWorkers(
  names: readonly string[],
  settingsFor: (worker: string) => WorkerSettings,
  onMessage: (message: WorkerMessage) => void,
): WorkerProcess[] {
  return names.map((name) => {
    const child = fork(workerModule(), [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "json",
    });
    // a worker that died is seen through `exited`; its channel's errors are no news
    child.on("error", () => {});
    const exited = once(child, "exit").then(
      ([code, signal]) => (signal as string | null) ?? (code as number),
    );
    child.on("message", (message) => onMessage(message as WorkerMessage));
    const worker = { name, child, killed: false, exited };
    tell(worker, { type: "start", settings: settingsFor(name) });
    return worker;
  });
}

/** How long a forced stop waits for workers to kill their steps' processes before SIGKILL. */
const FORCE_WAIT_MS = 3_000;

/**
 * A forced stop: each worker abandons its running steps at once, which kills their executor
 * processes (a SIGKILL of the worker alone would leave those running, orphaned), and is killed
 * if it has not gone within a few seconds.
 */
export async function forceWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) tell(worker, { type: "force" });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FORCE_WAIT_MS);
  });
  await Promise.race([Promise.all(workers.map((worker) => worker.exited)), late]);
  clearTimeout(timer);
  killWorkers(workers);
}

/** Kills every worker still running with SIGKILL. */
function killWorkers(workers: readonly WorkerProcess[]): void {
  for (const worker of workers) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  }
}

/**
 * Asks every live worker to stop: polling ends, running steps get `graceMs` to finish (then
 * they are abandoned, nothing of theirs committed). A worker still there 10 s after that is
 * killed.
 */
export async function stopWorkers(workers: readonly WorkerProcess[], graceMs: number): Promise<void> {
  for (const worker of workers) tell(worker, { type: "stop", graceMs });
  const timer = setTimeout(() => killWorkers(workers), graceMs + 10_000);
  timer.unref();
  await Promise.all(workers.map((worker) => worker.exited));
  clearTimeout(timer);
}
