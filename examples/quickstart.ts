import { createJobCacheManager, ECacheTicket } from "jobcache";

interface Job {
  step: number;
}

// LOCAL keeps everything in this process; use { protocol: "JDBC", properties: { dialect, ... } }
// to share jobs between orchestrator processes.
await using manager = await createJobCacheManager({ protocol: "LOCAL" });
const jobs = manager.getCache<Job>("jobs");

// Create a job: a new ticket is granted only if no entry and no live ticket exist.
{
  await using ticket = await jobs.openNewTicket("job-1", 30_000);
  const revision = await jobs.createEntry(ticket, "QUEUED", { step: 0 });
  console.log(`created job-1 at revision ${revision}`);
}

// Work on it: at most one live ticket per key, so only one orchestrator runs this step.
for (const entry of await jobs.queryStatus(["QUEUED"])) {
  await using ticket = await jobs.openTicket(entry.key, entry.revision, 30_000);
  if (ticket.superseded || ticket.missing) continue; // someone else has it, or it moved on
  try {
    const fencingToken = await jobs.updateEntry(ticket, "RUNNING", { step: entry.value.step + 1 });
    console.log(`${entry.key} is RUNNING at revision ${fencingToken}`);
  } catch (error) {
    if (!(error instanceof ECacheTicket)) throw error;
    console.log(`lost the ticket for ${entry.key}: ${error.message}`);
  }
}
