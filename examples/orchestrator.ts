/**
 * Your own jobs, hot-hot: thumbnails made and published by any number of worker processes over
 * one SQLite file. Kill a worker at any moment: its jobs move to the others once its leases
 * expire, and no step is committed twice.
 *
 *   node orchestrator.js seed   jobs.db 40      create 40 jobs
 *   node orchestrator.js work   jobs.db A       run a worker named A until SIGTERM / Ctrl-C
 *   node orchestrator.js report jobs.db         print every job as JSON
 */
import { appendFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { createJobCacheManager } from "jobcache";
import {
  createOrchestrator,
  type Executor,
  runTicketStep,
  statusTable,
  ticketMachine,
} from "jobcache/orchestrator";

interface Thumbnail {
  readonly image: string;
  /** One line per committed step: what it wrote, at which revision, by whom. */
  readonly log: readonly string[];
}

const [mode = "report", file = "jobs.db", arg = ""] = process.argv.slice(2);
const manager = await createJobCacheManager({
  protocol: "JDBC",
  properties: { dialect: "SQLITE", jdbcUrl: file, autoDeploy: "true" },
});
const jobs = manager.getCache<Thumbnail>("thumbnails");

// Each status names the step run for it and where each outcome leads; DONE has no step.
const lifecycle = statusTable({
  NEW: { step: "resize", on: { "step.done": "RESIZED" } },
  RESIZED: { step: "publish", on: { "step.done": "DONE" } },
  DONE: {},
});

// The real work of a step. The fencing token goes wherever the work writes, so a late write
// from a worker that lost its lease can be refused there too.
const executor: Executor = {
  async call({ jobKey, step, fencingToken, instanceId, signal }) {
    await delay(50 + Math.random() * 50, undefined, { signal });
    await appendFile(`${file}.effects`, `${jobKey} ${step.step} ${fencingToken} ${instanceId}\n`);
    return { type: "step.done" };
  },
};

if (mode === "seed") {
  for (let i = 1; i <= Number(arg); i++) {
    const key = `image-${String(i).padStart(4, "0")}`;
    // one step with no entry yet (revision null): the ticket is for creating it
    await runTicketStep({
      cache: jobs,
      key,
      revision: null,
      durationMs: 10_000,
      work: async () => ({ image: `${key}.png`, log: [] }),
      commit: (ticket, job) => jobs.createEntry(ticket, "NEW", job),
    });
  }
} else if (mode === "work") {
  const orchestrator = createOrchestrator({
    cache: jobs,
    executor,
    lifecycle,
    instanceId: arg,
    ticketDurationMs: 1_000,
    pollIntervalMs: 20,
    updateValue: ({ value, status, revision, instanceId }) => ({
      ...value,
      log: [...value.log, `${status}@${revision} by ${instanceId}`],
    }),
  });
  orchestrator.on("leaseLost", (e) =>
    console.error(`${e.instanceId}: lost ${e.key}@${e.revision} (${e.reason})`),
  );
  orchestrator.on("failover", (e) =>
    console.error(`${e.instanceId}: took over ${e.key} after ${e.waitedMs} ms`),
  );
  console.error(`${arg}: ticket states ${Object.keys(ticketMachine.states).join(", ")}`);
  orchestrator.start();
  const stop = new Promise((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  console.error(`${arg}: working`);
  await stop;
  await orchestrator.stop(5_000);
} else {
  const all = await jobs.queryStatus(["NEW", "RESIZED", "DONE"], { includeOpenTickets: true });
  const report = all.map((entry) => ({
    key: entry.key,
    status: entry.status,
    revision: entry.revision,
    ...entry.value,
  }));
  console.log(JSON.stringify(report));
}
await manager.close();
