/**
 * The value `jobcache run` keeps in each job entry. Each step appends to `history` in the same
 * fenced write that moves the status, so the entry itself is the audit log of its steps: a step
 * recorded here committed, at exactly this revision, by exactly this worker.
 * @module
 */

/** One committed step: the status it wrote, at which revision, by whom. */
export interface StepRecord {
  readonly revision: number;
  readonly status: string;
  readonly worker: string;
}

/** The value of one job entry. */
export interface JobRecord {
  /** Executor retries used so far (the job machine allows 2). */
  readonly retries: number;
  readonly history: readonly StepRecord[];
}

/** A job as seeded: revision 1, first status, no retries. */
export function newJobRecord(status: string, worker: string): JobRecord {
  return { retries: 0, history: [{ revision: 1, status, worker }] };
}

/** The record after one more committed step. */
export function appendStep(record: JobRecord, step: StepRecord, retries: number): JobRecord {
  return { retries, history: [...record.history, step] };
}
