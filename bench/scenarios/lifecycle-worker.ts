/**
 * A worker process of the lifecycle scenario: its own manager (and the TRAC replay over the
 * same pool), running job lifecycles for as long as the parent says, one mode at a time.
 * Started by lifecycle-processes.ts with a JSON argument; talks over the IPC channel.
 * @module
 */
import type { PluginConfig } from "../../src/index.js";
import { openSqlBenchStore } from "../targets/sql-bench-store.js";
import type { CallTicket, JobCalls } from "./job-calls.js";
import { TracReplay } from "./trac-replay.js";
import { lifecycles } from "./workloads.js";

/** The worker's argument. */
export interface WorkerArgs {
  readonly config: PluginConfig;
  readonly id: string;
}

/** Parent to worker. */
export type WorkerCommand =
  | {
      readonly type: "run";
      readonly mode: "jobcache" | "replay";
      readonly round: number;
      readonly durationMs: number;
    }
  | { readonly type: "exit" };

/** Worker to parent. */
export type WorkerReply =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly count: number; readonly elapsedMs: number }
  | { readonly type: "failed"; readonly message: string };

const CACHE = "lifecycle";

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as WorkerArgs;
  const send = (reply: WorkerReply) => process.send?.(reply);
  const store = await openSqlBenchStore(args.config);
  const modes: Record<"jobcache" | "replay", JobCalls<CallTicket, unknown>> = {
    jobcache: store.manager.getCache(CACHE) as unknown as JobCalls<CallTicket, unknown>,
    replay: new TracReplay(store.db, CACHE) as unknown as JobCalls<CallTicket, unknown>,
  };
  process.on("message", (command: WorkerCommand) => {
    if (command.type === "exit") {
      void store.manager.close().finally(() => process.exit(0));
      return;
    }
    const started = performance.now();
    const deadline = started + command.durationMs;
    lifecycles(
      modes[command.mode],
      `${args.id}-${command.mode}-${command.round}`,
      () => performance.now() >= deadline,
    )
      .then((count) => send({ type: "done", count, elapsedMs: performance.now() - started }))
      .catch((error: unknown) => send({ type: "failed", message: String(error) }));
  });
  send({ type: "ready" });
}

main().catch((error: unknown) => {
  process.send?.({ type: "failed", message: String(error) } satisfies WorkerReply);
  process.exit(1);
});
