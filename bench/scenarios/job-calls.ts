/**
 * The calls the scenarios make, as a structural type both a jobcache `JobCache` and the TRAC
 * replay (trac-replay.ts) satisfy, so one lifecycle, drain and contention loop times both.
 * @module
 */

/** What the scenarios read of a ticket. */
export interface CallTicket {
  readonly key: string;
  readonly revision: number;
  readonly superseded: boolean;
  readonly missing: boolean;
}

/** What the scenarios read of an entry. */
export interface CallEntry {
  readonly key: string;
  readonly revision: number;
  readonly status: string;
}

/** TRAC's IJobCache calls, the subset the scenarios use. */
export interface JobCalls<T extends CallTicket, V> {
  openNewTicket(key: string, durationMs: number): Promise<T>;
  openTicket(key: string, revision: number, durationMs: number): Promise<T>;
  closeTicket(ticket: T): Promise<void>;
  createEntry(ticket: T, status: string, value: V): Promise<number>;
  updateEntry(ticket: T, status: string, value: V): Promise<number>;
  deleteEntry(ticket: T): Promise<void>;
  readEntry(ticket: T): Promise<CallEntry>;
  queryStatus(statuses: readonly string[], options: { limit: number }): Promise<readonly CallEntry[]>;
}

/**
 * The fast path of CONTRACT.md ("Fast path"), written against its signatures: the store of this
 * branch may not have it yet; `hasFastPath` says whether it does.
 */
export interface FastPathCalls<T extends CallTicket, V> {
  claimStatus(
    statuses: readonly string[],
    durationMs: number,
    options?: { limit?: number },
  ): Promise<Array<{ ticket: T; entry: CallEntry }>>;
  updateEntry(ticket: T, status: string, value: V, options?: { close?: boolean }): Promise<number>;
}

/** Whether `cache` offers the fast path. */
export function hasFastPath(cache: object): boolean {
  return typeof (cache as { claimStatus?: unknown }).claimStatus === "function";
}

/** Long enough that no ticket of a scenario expires, short of the 5-minute maximum. */
export const TICKET_MS = 120_000;

/** A small job record, as an orchestrator keeps per job. */
export function jobValue(key: string, step: number): { job: string; step: number; params: object } {
  return { job: key, step, params: { region: "eu-west", shards: [1, 2, 3] } };
}
