/**
 * The job lifecycle at 1, 4 and 8 worker processes, each its own manager: the processes start
 * and connect first (untimed), then every round runs the TRAC replay and jobcache in turn for
 * the same time; the figure is jobcache's lifecycles per second over the replay's, per round,
 * median over rounds.
 * @module
 */
import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { WorkerArgs, WorkerCommand, WorkerReply } from "./lifecycle-worker.js";
import type { ScenarioPlace } from "./scenario-place.js";

const WORKER = new URL("./lifecycle-worker.ts", import.meta.url);

/** `--import` argument that lets a child node run TypeScript, as `npm run bench` does. */
export function tsxImport(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}

/** One process count's outcome. */
export interface LifecycleRate {
  readonly processes: number;
  /** Lifecycles per second, per round. */
  readonly jobcache: readonly number[];
  readonly replay: readonly number[];
}

class Worker {
  readonly child: ChildProcess;
  #waiting: ((reply: WorkerReply) => void) | undefined;
  #failed: ((error: Error) => void) | undefined;

  constructor(args: WorkerArgs) {
    this.child = fork(WORKER, [JSON.stringify(args)], {
      execArgv: ["--import", tsxImport()],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    this.child.on("message", (reply: WorkerReply) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.(reply);
    });
    this.child.on("exit", (code) => this.#failed?.(new Error(`lifecycle worker exited with ${code}`)));
  }

  next(): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failed = reject;
    });
  }

  send(command: WorkerCommand): void {
    this.child.send(command);
  }
}

function expect(reply: WorkerReply, type: WorkerReply["type"]): WorkerReply {
  if (reply.type === "failed") throw new Error(`lifecycle worker failed: ${reply.message}`);
  if (reply.type !== type) throw new Error(`lifecycle worker said ${reply.type}, not ${type}`);
  return reply;
}

/** Runs `rounds` rounds of `durationMs` per mode at `processes` worker processes. */
export async function lifecycleAt(
  place: ScenarioPlace,
  processes: number,
  rounds: number,
  durationMs: number,
): Promise<LifecycleRate> {
  const config = { ...place.config, properties: { ...place.config.properties, "pool.size": "1" } };
  const workers = Array.from(
    { length: processes },
    (_, index) => new Worker({ config, id: `p${processes}w${index}` }),
  );
  const jobcache: number[] = [];
  const replay: number[] = [];
  try {
    await Promise.all(workers.map(async (worker) => expect(await worker.next(), "ready")));
    for (let round = 0; round < rounds; round++) {
      const order: ("jobcache" | "replay")[] =
        round % 2 === 0 ? ["replay", "jobcache"] : ["jobcache", "replay"];
      for (const mode of order) {
        const replies = await Promise.all(
          workers.map(async (worker) => {
            const reply = worker.next();
            worker.send({ type: "run", mode, round, durationMs });
            return expect(await reply, "done") as Extract<WorkerReply, { type: "done" }>;
          }),
        );
        const count = replies.reduce((sum, reply) => sum + reply.count, 0);
        const seconds = Math.max(...replies.map((reply) => reply.elapsedMs)) / 1000;
        (mode === "jobcache" ? jobcache : replay).push(count / seconds);
      }
    }
  } finally {
    for (const worker of workers) {
      if (worker.child.exitCode === null) worker.send({ type: "exit" });
    }
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.child.exitCode !== null) resolve();
            else worker.child.once("exit", () => resolve());
          }),
      ),
    );
  }
  return { processes, jobcache, replay };
}
