/**
 * A real executor: each step runs a shell command as a child process in its own process group.
 * The job's key, the step and the fencing token are in its environment; when the lease is lost
 * (or the step is cancelled) the whole process group is killed, so nothing it started outlives
 * the lease that allowed it.
 * @module
 */
import { spawn } from "node:child_process";
import { EInvalidArgument } from "../base/errors.js";
import { type Executor, type ExecutorCall, finishedOutcome } from "./executor.js";
import type { LifecycleStep, StepOutcome } from "./lifecycle.js";

/** How one run of the command ended. */
export interface CommandResult {
  readonly step: LifecycleStep;
  /** The exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Settings of {@link commandExecutor}. */
export interface CommandExecutorOptions {
  /** The shell command run for every step (`/bin/sh -c`). */
  readonly command: string;
  /** Extra environment for the command, on top of this process's. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Where the command's stdout and stderr go. @defaultValue "inherit" (this process's stderr for both) */
  readonly output?: "inherit" | "ignore";
  /** The outcome for a result. @defaultValue exit 0: the step's success outcome, else its failure outcome */
  readonly outcome?: (result: CommandResult) => StepOutcome;
  /** After SIGTERM to the group, wait this long before SIGKILL. @defaultValue 2000 */
  readonly killGraceMs?: number;
}

/** Kills the process group led by `pid`; it may have gone already. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone: nothing left to stop
  }
}

/**
 * An {@link Executor} that runs `command` once a step, with `JOBCACHE_JOB_KEY`,
 * `JOBCACHE_STATUS`, `JOBCACHE_STEP` (the operation), `JOBCACHE_FENCING_TOKEN` and
 * `JOBCACHE_INSTANCE_ID` in its environment. Exit 0 is the step's success outcome, anything else
 * its failure outcome. Pass the fencing token on to whatever the command writes to, so a stale
 * holder's late write can be refused there too.
 * @example
 * const executor = commandExecutor({ command: "./deploy.sh \"$JOBCACHE_JOB_KEY\"" });
 */
export function commandExecutor(options: CommandExecutorOptions): Executor {
  if (typeof options?.command !== "string" || options.command.trim() === "") {
    throw new EInvalidArgument("command", "commandExecutor needs a non-empty command string");
  }
  const killGraceMs = options.killGraceMs ?? 2000;
  const toOutcome =
    options.outcome ?? ((result: CommandResult) => finishedOutcome(result.step, result.exitCode === 0));
  return {
    call(call: ExecutorCall): Promise<StepOutcome> {
      call.signal.throwIfAborted();
      const child = spawn("/bin/sh", ["-c", options.command], {
        cwd: options.cwd,
        // its own process group, so a kill reaches everything the command started
        detached: true,
        // both to this process's stderr: stdout stays free for what the caller prints
        stdio: options.output === "ignore" ? "ignore" : ["ignore", 2, 2],
        env: {
          ...process.env,
          ...options.env,
          JOBCACHE_JOB_KEY: call.jobKey,
          JOBCACHE_STATUS: call.step.status,
          JOBCACHE_STEP: call.step.step,
          JOBCACHE_FENCING_TOKEN: String(call.fencingToken),
          JOBCACHE_INSTANCE_ID: call.instanceId,
        },
      });
      return new Promise<StepOutcome>((resolve, reject) => {
        let escalate: ReturnType<typeof setTimeout> | undefined;
        const onAbort = (): void => {
          if (child.pid === undefined) return;
          killGroup(child.pid, "SIGTERM");
          escalate = setTimeout(
            () => child.pid !== undefined && killGroup(child.pid, "SIGKILL"),
            killGraceMs,
          );
          escalate.unref();
        };
        call.signal.addEventListener("abort", onAbort, { once: true });
        child.once("error", (error) => {
          call.signal.removeEventListener("abort", onAbort);
          reject(error);
        });
        child.once("close", (exitCode, signal) => {
          call.signal.removeEventListener("abort", onAbort);
          if (escalate !== undefined) clearTimeout(escalate);
          // whatever the command left behind in its group goes with it
          if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
          if (call.signal.aborted) reject(call.signal.reason);
          else resolve(toOutcome({ step: call.step, exitCode, signal }));
        });
      });
    },
  };
}
