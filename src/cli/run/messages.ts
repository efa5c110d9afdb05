/**
 * Messages between `jobcache run` and its orchestrator child processes (Node IPC channel).
 * @module
 */
import type { PluginConfig } from "../../index.js";

/** Which executor the workers run each step with. */
export type ExecutorSettings =
  | {
      readonly kind: "simulated";
      readonly failureRate: number;
      readonly delayMs: readonly [number, number];
    }
  | { readonly kind: "command"; readonly command: string };

/** Everything a worker needs to start; sent once, over IPC so secrets stay out of argv and env. */
export interface WorkerSettings {
  readonly worker: string;
  readonly config: PluginConfig;
  readonly cacheName: string;
  readonly archiveCacheName: string;
  readonly maxJobs: number;
  readonly ticketDurationMs: number;
  readonly pollIntervalMs: number;
  readonly executor: ExecutorSettings;
  /** Send every actor transition back as a trace line. */
  readonly trace: boolean;
  /** Send every orchestrator event and store log line back as a {@link WorkerLog}. */
  readonly verbose: boolean;
}

/** One log record of a worker: an orchestrator event or a line the store logged. */
export interface WorkerLog {
  readonly type: "log";
  readonly worker: string;
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly facts: Record<string, unknown>;
}

/** Parent to worker. */
export type ParentMessage =
  | { readonly type: "start"; readonly settings: WorkerSettings }
  /** Stop polling; running steps get `graceMs` to finish before they are abandoned. */
  | { readonly type: "stop"; readonly graceMs: number }
  /** A second Ctrl-C: abandon running steps now (their executor processes are killed), then exit. */
  | { readonly type: "force" };

/** Worker to parent. */
export type WorkerMessage =
  | { readonly type: "ready"; readonly worker: string }
  | {
      readonly type: "commit";
      readonly worker: string;
      readonly key: string;
      /** The revision written, or 0 for the delete that removed the job. */
      readonly revision: number;
      readonly latencyMs: number;
    }
  | { readonly type: "trace"; readonly line: string }
  | WorkerLog
  | { readonly type: "failed"; readonly worker: string; readonly message: string }
  | { readonly type: "stopped"; readonly worker: string };
