/**
 * One round of the counter hammer: seed the counters, let every worker run its ops at once,
 * then gather what the workers reported, what the entries hold and what the lease audit
 * recorded; `expectCleanRound` states what must hold.
 */
import type { Kysely } from "kysely";
import { expect } from "vitest";
import type { JobCacheManager } from "../../../../src/base/types.js";
import type { JobcacheSchema } from "../../../../src/store/sql/schema.js";
import { type CounterCheck, counterChecks, seedCounters } from "./counter-entries.js";
import {
  type AuditDialect,
  auditLeases,
  type LeaseAuditResult,
  readLeaseAudit,
  writtenRevisions,
} from "./lease-audit.js";
import type { WorkerHandle } from "./worker-handle.js";
import type { CounterOp, HammerReport } from "./worker-protocol.js";

export interface RoundSetup {
  readonly manager: JobCacheManager;
  readonly admin: Kysely<JobcacheSchema>;
  readonly dialect: AuditDialect;
  readonly workers: readonly WorkerHandle[];
}

export interface RoundResult {
  readonly cacheName: string;
  readonly reports: readonly HammerReport[];
  readonly checks: readonly CounterCheck[];
  readonly audit: LeaseAuditResult;
  readonly written: Map<string, number[]>;
  readonly renewalOps: number;
}

/** Runs `plan[i]` on worker i (all at once) over fresh counters `keys` in `cacheName`. */
export async function runCounterRound(
  setup: RoundSetup,
  cacheName: string,
  keys: readonly string[],
  plan: readonly (readonly CounterOp[])[],
  durationMs: number,
): Promise<RoundResult> {
  await seedCounters(setup.manager, cacheName, keys);
  const reports = await Promise.all(
    plan.map((ops, index) => {
      const worker = setup.workers[index];
      if (worker === undefined)
        throw new Error(`the plan has more op lists than the ${setup.workers.length} workers`);
      return worker.request<HammerReport>({ type: "hammer", cacheName, durationMs, ops });
    }),
  );
  const rows = await readLeaseAudit(setup.admin, cacheName);
  return {
    cacheName,
    reports,
    checks: await counterChecks(setup.manager, cacheName, keys, reports),
    audit: auditLeases(rows),
    written: writtenRevisions(rows),
    renewalOps: plan.flat().filter((op) => op.hold === "renewal").length,
  };
}

/**
 * No overlap, no lost or doubled update: count = reported commits, revision = 1 + count, and the
 * audit saw revisions 1..revision written once each, in order; nothing uncertain or given up.
 */
export function expectCleanRound(round: RoundResult): void {
  expect(round.audit.problems).toEqual([]);
  expect(round.reports.flatMap((report) => report.uncertain)).toEqual([]);
  expect(round.reports.map((report) => report.gaveUp)).toEqual(round.reports.map(() => 0));
  for (const check of round.checks) {
    expect(check, `counter ${check.key}`).toEqual({
      key: check.key,
      count: check.reported,
      revision: check.reported + 1,
      reported: check.reported,
    });
    const revisions = Array.from({ length: check.revision }, (_, index) => index + 1);
    expect(round.written.get(check.key), `revisions written on ${check.key}`).toEqual(revisions);
  }
  // every grant the audit saw is one ticket; at least one per committed increment plus the seed
  const committed = round.checks.reduce((sum, check) => sum + check.reported, 0);
  expect(round.audit.intervals.length).toBeGreaterThanOrEqual(committed + round.checks.length);
  const renewals = round.reports.reduce((sum, report) => sum + report.renewals, 0);
  expect(renewals).toBeGreaterThanOrEqual(round.renewalOps);
}
