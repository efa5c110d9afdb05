import type { AuditResult } from "./audit.js";

/** The final report of `jobcache run`; `--json` prints it as one object. */
export interface RunReport {
  readonly store: string;
  readonly processes: number;
  readonly jobs: number;
  readonly completed: number;
  readonly stepsCommitted: number;
  readonly doubleCommits: number;
  readonly lostJobs: number;
  readonly failovers: number;
  readonly killed: readonly string[];
  readonly durationMs: number;
  readonly throughputJobsPerSec: number;
  readonly throughputStepsPerSec: number;
  readonly stepLatencyMs: { readonly p50: number; readonly p99: number };
  readonly problems: readonly string[];
}

/** Whether the run proved what it exists to prove. */
export function runSucceeded(report: RunReport): boolean {
  return report.doubleCommits === 0 && report.lostJobs === 0 && report.problems.length === 0;
}

/** Builds the report from the audit and the run's measurements. */
export function buildReport(
  audit: AuditResult,
  facts: Pick<RunReport, "store" | "processes" | "jobs" | "killed" | "durationMs" | "stepLatencyMs">,
): RunReport {
  const seconds = Math.max(facts.durationMs, 1) / 1000;
  const rate = (count: number) => Math.round((count / seconds) * 10) / 10;
  return {
    ...facts,
    completed: audit.completed,
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
  const verdict = runSucceeded(report) ? "OK: every step committed exactly once, no job lost" : "FAILED";
  const lines = [
    `jobcache run: ${report.jobs} jobs, ${report.processes} orchestrator processes, ${report.store}`,
    `  jobs completed      ${report.completed}/${report.jobs}`,
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
