import type { AuditResult } from "./audit.js";

/** The final report of `jobcache run`; `--json` prints it as one object. */
export interface RunReport {
  /** The run's cache: what `jobcache run --resume <run>` continues. */
  readonly run: string;
  readonly store: string;
  readonly processes: number;
  readonly jobs: number;
  readonly completed: number;
  /** Jobs still in the cache (the run was stopped or ran out of time); `--resume` finishes them. */
  readonly left: number;
  readonly stepsCommitted: number;
  readonly doubleCommits: number;
  readonly lostJobs: number;
  readonly failovers: number;
  readonly killed: readonly string[];
  /** The signal that stopped the run early, if one did. */
  readonly interrupted?: "SIGINT" | "SIGTERM";
  readonly durationMs: number;
  readonly throughputJobsPerSec: number;
  readonly throughputStepsPerSec: number;
  readonly stepLatencyMs: { readonly p50: number; readonly p99: number };
  readonly problems: readonly string[];
}

/** Whether the run proved what it exists to prove: nothing double, nothing lost. */
export function runSucceeded(report: RunReport): boolean {
  return report.doubleCommits === 0 && report.lostJobs === 0 && report.problems.length === 0;
}

/** Percentile of sorted samples by nearest rank; 0 for no samples. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** p50 and p99 of unsorted samples, rounded to 0.01 ms. */
export function latencySummary(samples: readonly number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

/** Builds the report from the audit and the run's measurements. */
export function buildReport(
  audit: AuditResult,
  facts: Pick<
    RunReport,
    "run" | "store" | "processes" | "jobs" | "killed" | "durationMs" | "stepLatencyMs" | "interrupted"
  >,
): RunReport {
  const seconds = Math.max(facts.durationMs, 1) / 1000;
  const rate = (count: number) => Math.round((count / seconds) * 10) / 10;
  return {
    ...facts,
    completed: audit.completed,
    left: audit.left,
    stepsCommitted: audit.stepsCommitted,
    doubleCommits: audit.doubleCommits,
    lostJobs: audit.lostJobs,
    failovers: audit.failovers,
    throughputJobsPerSec: rate(audit.completed),
    throughputStepsPerSec: rate(audit.stepsCommitted),
    problems: audit.problems,
  };
}

/** The report as a person reads it. */
export function formatReport(report: RunReport): string {
  const verdict = !runSucceeded(report)
    ? "FAILED"
    : report.left > 0
      ? `STOPPED: nothing committed twice, nothing lost; continue with: jobcache run --resume ${report.run}`
      : "OK: every step committed exactly once, no job lost";
  const lines = [
    `jobcache run: ${report.jobs} jobs, ${report.processes} orchestrator processes, ${report.store}`,
    ...(report.interrupted === undefined ? [] : [`  stopped by          ${report.interrupted}`]),
    `  jobs completed      ${report.completed}/${report.jobs}`,
    ...(report.left > 0 ? [`  jobs left           ${report.left} (in cache ${report.run})`] : []),
    `  steps committed     ${report.stepsCommitted}`,
    `  double commits      ${report.doubleCommits}`,
    `  jobs lost           ${report.lostJobs}`,
    `  failovers           ${report.failovers}${report.killed.length > 0 ? ` (killed: ${report.killed.join(", ")})` : ""}`,
    `  duration            ${(report.durationMs / 1000).toFixed(2)} s`,
    `  throughput          ${report.throughputJobsPerSec} jobs/s, ${report.throughputStepsPerSec} steps/s`,
    `  step latency        p50 ${report.stepLatencyMs.p50} ms, p99 ${report.stepLatencyMs.p99} ms`,
    ...report.problems.map((problem) => `  problem: ${problem}`),
    verdict,
  ];
  return lines.join("\n");
}
