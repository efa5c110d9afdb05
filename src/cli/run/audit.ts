/**
 * The job value of `jobcache run` and its end-of-run audit. Each step appends to the job's
 * `history` in the same fenced write that moves its status, so the entry itself is the audit
 * log of its steps: a step recorded here committed, at exactly this revision, by exactly this
 * worker. From those histories and what the workers said they committed, the audit proves every
 * step committed exactly once and no job was lost.
 * @module
 */

/** One committed step: the status it wrote, at which revision, by whom. */
interface StepRecord {
  readonly revision: number;
  readonly status: string;
  readonly worker: string;
}

/** The value of one job entry (TRAC's lifecycle keeps its retry count in `retries`). */
export interface JobRecord {
  readonly retries: number;
  readonly history: readonly StepRecord[];
}

/** A finished job as archived just before its entry was deleted. */
export interface ArchivedJob extends JobRecord {
  readonly key: string;
  /** The worker whose ticket deleted the entry. */
  readonly removedBy: string;
}

/** A job still in the cache when the run stopped (interrupted, or out of time). */
export interface LeftJob extends JobRecord {
  readonly key: string;
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
  /** Jobs still in the cache: not lost, a later `jobcache run --resume` finishes them. */
  readonly left: number;
  readonly lostJobs: number;
  readonly stepsCommitted: number;
  readonly doubleCommits: number;
  readonly failovers: number;
  /** One line per problem found, for the report. Empty when the run was clean. */
  readonly problems: readonly string[];
}

function checkHistory(key: string, history: readonly StepRecord[], problems: string[]): void {
  history.forEach((step, index) => {
    if (step.revision !== index + 1) {
      problems.push(`${key}: history position ${index + 1} holds revision ${step.revision}`);
    }
  });
}

/**
 * Audits a run of `seeded` jobs: `archived` finished, `left` still in the cache. `killed` names
 * the workers stopped by SIGKILL.
 */
export function auditRun(
  seeded: readonly string[],
  archived: readonly ArchivedJob[],
  reports: readonly CommitReport[],
  killed: ReadonlySet<string>,
  left: readonly LeftJob[] = [],
): AuditResult {
  const problems: string[] = [];
  const byKey = new Map<string, JobRecord & { removedBy?: string }>(archived.map((job) => [job.key, job]));
  for (const job of left) byKey.set(job.key, job);
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
    checkHistory(job.key, job.history, problems);
    // history holds the seed's create (not a step) and every update; the delete is a step too
    stepsCommitted += job.history.length;
    const workers = [...job.history.map((step) => step.worker), job.removedBy];
    if (workers.some((worker, i) => i > 0 && killed.has(workers[i - 1] ?? "") && worker !== workers[i - 1])) {
      failovers += 1;
    }
  }
  for (const job of left) {
    checkHistory(job.key, job.history, problems);
    stepsCommitted += job.history.length - 1;
  }

  const missing = seeded.filter((key) => !byKey.has(key));
  if (missing.length > 0) {
    problems.push(
      `${missing.length} job(s) lost: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}`,
    );
  }
  return {
    completed: archived.length,
    left: left.length,
    lostJobs: missing.length,
    stepsCommitted,
    doubleCommits,
    failovers,
    problems,
  };
}
