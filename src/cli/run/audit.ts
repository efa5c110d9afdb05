/**
 * The end-of-run audit of `jobcache run`: from what the database holds (each finished job's
 * history, written in the same fenced writes as its steps) and what the workers said they
 * committed, prove every step committed exactly once and no job was lost.
 * @module
 */
import type { JobRecord } from "../../runtime/job-record.js";

/** A finished job as archived just before its entry was deleted. */
export interface ArchivedJob extends JobRecord {
  readonly key: string;
  /** The worker whose ticket deleted the entry. */
  readonly removedBy: string;
}

/** What a worker reported after a commit succeeded. */
export interface CommitReport {
  readonly key: string;
  /** The revision the write returned, or 0 for the delete that removed the job. */
  readonly revision: number;
  readonly worker: string;
}

/** The audit's findings. */
export interface AuditResult {
  readonly completed: number;
  readonly lostJobs: number;
  readonly stepsCommitted: number;
  readonly doubleCommits: number;
  readonly failovers: number;
  /** One line per problem found, for the report. Empty when the run was clean. */
  readonly problems: readonly string[];
}

/** Audits a run of `seeded` jobs. `killed` names the workers stopped by SIGKILL. */
export function auditRun(
  seeded: readonly string[],
  archived: readonly ArchivedJob[],
  reports: readonly CommitReport[],
  killed: ReadonlySet<string>,
): AuditResult {
  const problems: string[] = [];
  const byKey = new Map(archived.map((job) => [job.key, job]));
  let doubleCommits = 0;
  let failovers = 0;
  let stepsCommitted = 0;

  const seen = new Map<string, string>();
  for (const report of reports) {
    const id = `${report.key}@${report.revision === 0 ? "delete" : report.revision}`;
    const first = seen.get(id);
    if (first !== undefined) {
      doubleCommits += 1;
      problems.push(`${id} was committed twice: by ${first} and by ${report.worker}`);
      continue;
    }
    seen.set(id, report.worker);
    const job = byKey.get(report.key);
    const recorded = report.revision === 0 ? job?.removedBy : job?.history[report.revision - 1]?.worker;
    if (job !== undefined && recorded !== report.worker) {
      doubleCommits += 1;
      problems.push(
        `${id} was reported committed by ${report.worker} but the entry records ${recorded ?? "nothing"}`,
      );
    }
  }

  for (const job of archived) {
    job.history.forEach((step, index) => {
      if (step.revision !== index + 1) {
        problems.push(`${job.key}: history position ${index + 1} holds revision ${step.revision}`);
      }
    });
    // history holds the seed's create (not a step) and every update; the delete is a step too
    stepsCommitted += job.history.length;
    const workers = [...job.history.map((step) => step.worker), job.removedBy];
    if (workers.some((worker, i) => i > 0 && killed.has(workers[i - 1] ?? "") && worker !== workers[i - 1])) {
      failovers += 1;
    }
  }

  const missing = seeded.filter((key) => !byKey.has(key));
  if (missing.length > 0) {
    problems.push(
      `${missing.length} job(s) did not finish: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}`,
    );
  }
  return {
    completed: archived.length,
    lostJobs: missing.length,
    stepsCommitted,
    doubleCommits,
    failovers,
    problems,
  };
}
