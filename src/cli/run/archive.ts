import type { JobCache } from "../../index.js";
import type { ArchivedJob, JobRecord } from "./audit.js";

/** The status of every archived job. */
export const ARCHIVED_STATUS = "REMOVED";

/**
 * Keeps a finished job's record in the run's archive cache before its entry is deleted, so the
 * audit can read every job's history afterwards. Idempotent: when a worker died between
 * archiving and deleting, the worker that takes over rewrites the archive under its own name,
 * so `removedBy` always names the worker whose delete may commit.
 */
export async function archiveJob(
  archive: JobCache<ArchivedJob>,
  key: string,
  record: JobRecord,
  worker: string,
  ticketDurationMs: number,
): Promise<void> {
  const value: ArchivedJob = { ...record, key, removedBy: worker };
  {
    await using ticket = await archive.openNewTicket(key, ticketDurationMs);
    if (!ticket.superseded) {
      await archive.createEntry(ticket, ARCHIVED_STATUS, value);
      return;
    }
  }
  const existing = await archive.queryKey(key);
  if (existing === undefined) throw new Error(`archive of ${key} is held by another worker; retry the step`);
  await using ticket = await archive.openTicket(key, existing.revision, ticketDurationMs);
  if (ticket.superseded || ticket.missing) throw new Error(`archive of ${key} moved on; retry the step`);
  await archive.updateEntry(ticket, ARCHIVED_STATUS, value);
}
