/**
 * Why a fenced write changed nothing, read in one SELECT and decided in this order: the retry of
 * a write that did commit (same request id) returns its result; a ticket that is not the live
 * holder gets `ECacheTicket`; then the entry: `ECacheDuplicate` for create, `ECacheNotFound` for
 * update/delete, `ECacheTicket` if it moved away from the revision the ticket saw.
 * @module
 */
import { type Kysely, sql } from "kysely";
import { describeLocation, ECacheDuplicate, ECacheNotFound, ECacheTicket } from "../../../base/errors.js";
import { holdsLive } from "../../../base/lease-rules.js";
import type { WriteRequest } from "../../store.js";
import { RetryableConflict } from "../retry/retryable-conflict.js";
import { type JobcacheSchema, type MicrosColumn, type StoredLeaseState, toMicros } from "../schema.js";
import { entryRevision, isLeaseOf, notLive, toLeaseRecord } from "./lease-sql.js";
import { firstRow, type SqlContext } from "./sql-context.js";

/** The write operations. */
export type WriteKind = "create" | "update" | "delete";

/** What the failure probe reads. */
export interface WriteProbe {
  readonly now: MicrosColumn;
  readonly ticket_id: string;
  readonly state: StoredLeaseState;
  readonly expiry: MicrosColumn;
  readonly last_request_id: string | null;
  readonly last_result: number | null;
  readonly entry_revision: number | null;
}

/** Reads the lease row and entry revision of a failed write. */
export async function probeWrite(
  ctx: SqlContext,
  request: WriteRequest,
  executor: Kysely<JobcacheSchema> = ctx.db,
): Promise<WriteProbe | undefined> {
  const result = await sql<WriteProbe>`select ${ctx.adapter.now()} as now, l.ticket_id, l.state, l.expiry,
      l.last_request_id, l.last_result, ${entryRevision(request)} as entry_revision
    from jobcache_lease l where ${isLeaseOf(request, "l")}`.execute(executor);
  return firstRow(result);
}

/**
 * The result of a write that already committed (a retry after a lost reply), or the error that
 * explains the refusal. Throws `RetryableConflict` if the probe says the write should have
 * succeeded (a race between the write and the probe): the operation then runs again.
 */
export function explainWriteFailure(
  kind: WriteKind,
  request: WriteRequest,
  probe: WriteProbe | undefined,
): number {
  const where = { cacheName: request.cacheName, key: request.key };
  const location = describeLocation(request.cacheName, request.key);
  if (
    probe !== undefined &&
    probe.ticket_id === request.ticketId &&
    probe.last_request_id === request.requestId
  ) {
    return Number(probe.last_result ?? 0);
  }
  if (probe === undefined || !holdsLive(toLeaseRecord(probe), request.ticketId, toMicros(probe.now))) {
    throw notLive(request, `the ${kind} was not applied`);
  }
  const revision = probe.entry_revision === null ? undefined : Number(probe.entry_revision);
  if (kind === "create" && revision !== undefined) {
    throw new ECacheDuplicate(`Entry ${location} already exists (revision ${revision})`, {
      ...where,
      revision,
    });
  }
  if (kind !== "create" && revision === undefined) {
    throw new ECacheNotFound(`No entry for ${location}`, where);
  }
  if (kind !== "create" && revision !== request.expectedRevision) {
    throw new ECacheTicket(
      `Entry ${location} is at revision ${revision}, not ${request.expectedRevision} as the ticket saw: the ${kind} was not applied`,
      { ...where, revision },
    );
  }
  throw new RetryableConflict(`the ${kind} of ${location} lost a race; trying again`);
}
