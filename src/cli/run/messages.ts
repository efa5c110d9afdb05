/**
 * Messages between `jobcache run` and its orchestrator child processes (Node IPC channel).
 * @module
 */
import type { PluginConfig } from "../../base/types.js";

/** Everything a worker needs to start; sent once, over IPC so secrets stay out of argv and env. */
export interface WorkerSettings {
  readonly worker: string;
  readonly config: PluginConfig;
  readonly cacheName: string;
  readonly archiveCacheName: string;
  readonly maxJobs: number;
  readonly ticketDurationMs: number;
  readonly pollIntervalMs: number;
  readonly failureRate: number;
  readonly executorDelayMs: readonly [number, number];
  /** Send every actor transition back as a trace line. */
  readonly trace: boolean;
}

/** Parent to worker. */
export type ParentMessage =
  | { readonly type: "start"; readonly settings: WorkerSettings }
  | { readonly type: "stop" };

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
  | { readonly type: "failed"; readonly worker: string; readonly message: string }
  | { readonly type: "stopped"; readonly worker: string };
