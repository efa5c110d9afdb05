/**
 * The test's side of a worker process: forks process-worker.ts with the tsx loader (as the CLI's
 * orchestrator children are started from sources), sends requests, waits for replies and events,
 * and can SIGKILL / SIGSTOP / SIGCONT it. Replies of a killed worker reject with its exit.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PluginConfig } from "../../../../src/base/types.js";
import type { WorkerClock, WorkerEnvelope, WorkerMessage, WorkerRequest } from "./worker-protocol.js";

const WORKER = fileURLToPath(new URL("./process-worker.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const NO_SKEW: WorkerClock = { kind: "offset", offsetMs: 0 };

/** A step event a worker reported (`ticket:granted`, `ticket:renewed`, ...). */
export interface WorkerEvent {
  readonly key: string;
  readonly event: string;
  readonly detail?: number;
}

/** A failed request: the worker's error name (e.g. `ECacheTicket`) and message. */
export class WorkerRequestError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(`${errorName}: ${message}`);
    this.name = "WorkerRequestError";
  }
}

export class WorkerHandle {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | string>;
  readonly events: WorkerEvent[] = [];
  #nextId = 1;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #waiters = new Set<() => void>();
  #stderr = "";

  private constructor(name: string) {
    this.name = name;
    this.child = fork(WORKER, [], {
      execArgv: ["--import", TSX],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "json",
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.child.on("message", (message: WorkerMessage) => this.#receive(message));
    this.exited = new Promise((resolve) => {
      const gone = (how: number | string) => {
        this.#failPending(`exited (${how})`);
        resolve(how);
      };
      this.child.once("exit", (code, signal) => gone(signal ?? code ?? "unknown"));
      // a process that could not start emits "error" and may never emit "exit"
      this.child.on("error", (error) => {
        if (this.child.pid === undefined) gone(`error: ${error.message}`);
        else this.#failPending(`failed (${error.message})`);
      });
    });
  }

  #failPending(how: string): void {
    for (const { reject } of this.#pending.values()) {
      reject(new Error(`worker ${this.name} ${how} before replying\n${this.#stderr}`));
    }
    this.#pending.clear();
  }

  /** Forks a worker; {@link open} gives it a manager. */
  static fork(name: string): WorkerHandle {
    return new WorkerHandle(name);
  }

  /** Forks a worker and opens its manager on `config` with the given local clock. */
  static async start(
    name: string,
    config: PluginConfig,
    clock: WorkerClock = NO_SKEW,
  ): Promise<WorkerHandle> {
    const worker = new WorkerHandle(name);
    try {
      await worker.open(config, clock);
    } catch (error) {
      worker.kill("SIGKILL");
      await worker.exited;
      throw error;
    }
    return worker;
  }

  /** (Re)opens the worker's manager on `config` (closing the one it had) with the given local clock. */
  async open(config: PluginConfig, clock: WorkerClock = NO_SKEW): Promise<void> {
    await this.request({ type: "open", config, clock });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Sends `request`; resolves with the worker's result, rejects with a {@link WorkerRequestError}. */
  request<T = unknown>(request: WorkerRequest): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...request, id } satisfies WorkerEnvelope);
    });
  }

  /** Resolves once an event matching `match` has arrived (also one that arrived before). */
  waitForEvent(match: (event: WorkerEvent) => boolean, timeoutMs = 20_000): Promise<WorkerEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(match);
        if (found === undefined) return false;
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const waiter = () => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `worker ${this.name}: no matching event within ${timeoutMs} ms: ${JSON.stringify(this.events)}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.#waiters.add(waiter);
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Closes the manager and lets the process exit; SIGKILL if it has not gone within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    try {
      if (this.child.connected) {
        await this.request({ type: "close" }).catch(() => {});
        if (this.child.connected) this.child.disconnect();
      }
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  #receive(message: WorkerMessage): void {
    if (message.type === "event") {
      this.events.push(message);
      for (const waiter of [...this.#waiters]) waiter();
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new WorkerRequestError(message.error.name, message.error.message));
  }
}

/** Forks `count` workers named `${prefix}1..`; open them with {@link openWorkers}. */
export function forkWorkers(prefix: string, count: number): WorkerHandle[] {
  return Array.from({ length: count }, (_, index) => WorkerHandle.fork(`${prefix}${index + 1}`));
}

/** Opens every worker's manager on `config`, with `clocks[i]` for worker i (default: no skew). */
export async function openWorkers(
  workers: readonly WorkerHandle[],
  config: PluginConfig,
  clocks: readonly WorkerClock[] = [],
): Promise<void> {
  await Promise.all(workers.map((worker, index) => worker.open(config, clocks[index] ?? NO_SKEW)));
}

/** Closes every worker's manager (the processes stay, to be opened again). */
export async function closeWorkerManagers(workers: readonly WorkerHandle[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.request({ type: "close" })));
}

/** Stops every worker (ignoring ones already gone). */
export async function stopWorkers(workers: readonly WorkerHandle[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.stop()));
}
