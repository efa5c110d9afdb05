/**
 * The loops the scenarios time, written once over {@link JobCalls} so jobcache and the TRAC
 * replay run exactly the same sequence: a job's lifecycle, a queue drain by pollers (TRAC's
 * calls, or the fast path), and workers contending for a few keys.
 * @module
 */
import { type CallTicket, type FastPathCalls, type JobCalls, jobValue, TICKET_MS } from "./job-calls.js";

function granted<T extends CallTicket>(ticket: T): T {
  if (ticket.superseded || ticket.missing)
    throw new Error(`scenario: ticket on ${ticket.key} was not granted`);
  return ticket;
}

/**
 * One job's lifecycle through TRAC's calls: create (open new, create, close), three steps (open,
 * read, update, close), delete (open, delete, close): 18 calls, TRAC's 17 and the close of the
 * deleting ticket.
 */
export async function lifecycle<T extends CallTicket>(
  calls: JobCalls<T, unknown>,
  key: string,
): Promise<void> {
  const created = granted(await calls.openNewTicket(key, TICKET_MS));
  let revision = await calls.createEntry(created, "QUEUED", jobValue(key, 0));
  await calls.closeTicket(created);
  for (const [step, status] of ["LAUNCHED", "RUNNING", "SUCCEEDED"].entries()) {
    const ticket = granted(await calls.openTicket(key, revision, TICKET_MS));
    await calls.readEntry(ticket);
    revision = await calls.updateEntry(ticket, status, jobValue(key, step + 1));
    await calls.closeTicket(ticket);
  }
  const last = granted(await calls.openTicket(key, revision, TICKET_MS));
  await calls.deleteEntry(last);
  await calls.closeTicket(last);
}

/** Calls per {@link lifecycle}. */
export const LIFECYCLE_CALLS = 18;

/** Runs lifecycles of fresh keys until `stopAt()` says stop; returns how many completed. */
export async function lifecycles<T extends CallTicket>(
  calls: JobCalls<T, unknown>,
  prefix: string,
  stop: () => boolean,
): Promise<number> {
  let done = 0;
  while (!stop()) await lifecycle(calls, `${prefix}-${done++}`);
  return done;
}

/** The statuses a drained job goes through; each step moves it one on. */
export const DRAIN_STATUSES = ["STEP_0", "STEP_1", "STEP_2"] as const;
const NEXT: Readonly<Record<string, string>> = { STEP_0: "STEP_1", STEP_1: "STEP_2", STEP_2: "DONE" };

/** Creates `jobs` queued jobs (untimed). */
export async function fillQueue<T extends CallTicket>(
  calls: JobCalls<T, unknown>,
  prefix: string,
  jobs: number,
): Promise<void> {
  const batch = 8;
  for (let start = 0; start < jobs; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, jobs - start) }, async (_, offset) => {
        const key = `${prefix}-${start + offset}`;
        const ticket = granted(await calls.openNewTicket(key, TICKET_MS));
        await calls.createEntry(ticket, DRAIN_STATUSES[0], jobValue(key, 0));
        await calls.closeTicket(ticket);
      }),
    );
  }
}

/** What a drain reports. */
export interface DrainCount {
  readonly steps: number;
  /** Grants refused because another poller took the job first. */
  readonly collisions: number;
}

/**
 * `pollers` loops drain the queue through TRAC's calls: poll the oldest free jobs, take one
 * (the poller's own pick among the first `pollers`, as racing orchestrators do), open a ticket,
 * read, update to the next status, close. Stops when `steps` steps are done.
 */
export async function drainWithCalls<T extends CallTicket>(
  calls: JobCalls<T, unknown>,
  pollers: number,
  steps: number,
): Promise<DrainCount> {
  let done = 0;
  let collisions = 0;
  const poller = async (index: number) => {
    while (done < steps) {
      const found = await calls.queryStatus(DRAIN_STATUSES, { limit: pollers });
      if (found.length === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const job = found[index % found.length]!;
      const ticket = await calls.openTicket(job.key, job.revision, TICKET_MS);
      if (ticket.superseded || ticket.missing) {
        collisions++;
        continue;
      }
      try {
        const entry = await calls.readEntry(ticket);
        await calls.updateEntry(ticket, NEXT[entry.status]!, jobValue(job.key, entry.revision));
        done++;
      } finally {
        await calls.closeTicket(ticket);
      }
    }
  };
  await Promise.all(Array.from({ length: pollers }, (_, index) => poller(index)));
  return { steps: done, collisions };
}

/**
 * The same drain through the fast path: each poller claims one job (poll and grant in one
 * statement) and writes the next status with `close: true` (write and release in one commit).
 */
export async function drainWithFastPath<T extends CallTicket>(
  cache: FastPathCalls<T, unknown>,
  pollers: number,
  steps: number,
): Promise<DrainCount> {
  let done = 0;
  const poller = async () => {
    while (done < steps) {
      const [claimed] = await cache.claimStatus(DRAIN_STATUSES, TICKET_MS, { limit: 1 });
      if (claimed === undefined) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const { ticket, entry } = claimed;
      await cache.updateEntry(ticket, NEXT[entry.status]!, jobValue(entry.key, entry.revision), {
        close: true,
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: pollers }, () => poller()));
  return { steps: done, collisions: 0 };
}

/**
 * `workers` loops (each over calls of its own) contend for `keys` keys until `stop()`: each picks
 * a key at random and does one step on it (open, read, update, close). A refused grant (another
 * worker holds the key, or moved it on) counts as a collision.
 */
export async function contend<T extends CallTicket>(
  workers: readonly JobCalls<T, unknown>[],
  keys: readonly string[],
  stop: () => boolean,
): Promise<DrainCount> {
  const revisions = new Map(keys.map((key) => [key, 1]));
  let steps = 0;
  let collisions = 0;
  const worker = async (calls: JobCalls<T, unknown>) => {
    while (!stop()) {
      const key = keys[Math.floor(Math.random() * keys.length)]!;
      const ticket = await calls.openTicket(key, revisions.get(key)!, TICKET_MS);
      if (ticket.superseded || ticket.missing) {
        collisions++;
        continue;
      }
      try {
        await calls.readEntry(ticket);
        revisions.set(key, await calls.updateEntry(ticket, "RUNNING", jobValue(key, steps)));
        steps++;
      } finally {
        await calls.closeTicket(ticket);
      }
    }
  };
  await Promise.all(workers.map(worker));
  return { steps, collisions };
}
