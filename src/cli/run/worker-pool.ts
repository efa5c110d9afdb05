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

/**
 * Starts `count` orchestrator processes and routes their messages to `onMessage`. Each gets its
 * settings over IPC, and inherits Node's own flags (so a run from sources keeps its loader).
 */
export function startWorkers(
  count: number,
  settingsFor: (worker: string) => WorkerSettings,
  onMessage: (message: WorkerMessage) => void,
): WorkerProcess[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `w${index + 1}`;
    const child = fork(workerModule(), [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "json",
    });
    const exited = once(child, "exit").then(
      ([code, signal]) => (signal as string | null) ?? (code as number),
    );
    child.on("message", (message) => onMessage(message as WorkerMessage));
    child.send({ type: "start", settings: settingsFor(name) } satisfies ParentMessage);
    return { name, child, killed: false, exited };
  });
}

/** Asks every live worker to stop gracefully, and waits up to `graceMs` before SIGKILL. */
export async function stopWorkers(workers: readonly WorkerProcess[], graceMs: number): Promise<void> {
  for (const worker of workers) {
    if (worker.child.connected) worker.child.send({ type: "stop" } satisfies ParentMessage);
  }
  const timer = setTimeout(() => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  }, graceMs);
  timer.unref();
  await Promise.all(workers.map((worker) => worker.exited));
  clearTimeout(timer);
}
