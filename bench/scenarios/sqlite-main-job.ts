/**
 * The main job, `jobcache run`, on the embedded SQLite default: the CLI as users start it, in a
 * fresh temp folder (so a fresh `.jobcache/jobcache.db`), at 1 and at 3 orchestrator processes,
 * with `--json`. Its own report gives steps per second and the step latency p50 / p99.
 * @module
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tsxImport } from "./lifecycle-processes.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** What the run reported. */
export interface MainJobRun {
  readonly processes: number;
  readonly stepsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly steps: number;
  readonly ok: boolean;
}

/** `jobcache run --processes <processes> --jobs <jobs> --json` in a temp folder. */
export async function runMainJob(processes: number, jobs: number): Promise<MainJobRun> {
  const folder = mkdtempSync(join(tmpdir(), "jobcache-bench-run-"));
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--import",
        tsxImport(),
        MAIN,
        "run",
        "--processes",
        String(processes),
        "--jobs",
        String(jobs),
        "--json",
      ],
      { cwd: folder, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
    );
    const report = JSON.parse(stdout) as {
      throughputStepsPerSec: number;
      stepLatencyMs: { p50: number; p99: number };
      stepsCommitted: number;
      doubleCommits: number;
      lostJobs: number;
    };
    return {
      processes,
      stepsPerSec: report.throughputStepsPerSec,
      p50Ms: report.stepLatencyMs.p50,
      p99Ms: report.stepLatencyMs.p99,
      steps: report.stepsCommitted,
      ok: report.doubleCommits === 0 && report.lostJobs === 0,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
