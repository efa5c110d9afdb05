/**
 * The job queues users compare jobcache with, draining the same work on the same PostgreSQL
 * server in the same run: `tasks` one-step tasks at concurrency 8, each in a schema of its own
 * (dropped afterwards). Timed from adding the tasks (one statement) to the last task's handler
 * returning; the workers are started, connected and idle before.
 * - graphile-worker 0.18: one `SKIP LOCKED` claim and one completion statement per task;
 *   LISTEN/NOTIFY wakes the workers.
 * - pg-boss 12: fetches in batches of 50 (`localConcurrency: 8` workers), completes a batch at once.
 * @module
 */
import { randomBytes } from "node:crypto";
import { Logger, makeWorkerUtils, run } from "graphile-worker";
import { PgBoss } from "pg-boss";
import { adminQuery } from "../targets/postgres-target.js";

/** Steps (tasks) per second of one drain. */
export interface PeerRate {
  readonly stepsPerSec: number;
}

const silent = new Logger(() => () => {});

/** `resolve` once `count` tasks have called `done`. */
function countdown(count: number): { done: () => void; finished: Promise<void> } {
  let left = count;
  let resolve!: () => void;
  const finished = new Promise<void>((ok) => {
    resolve = ok;
  });
  return {
    done: () => {
      left--;
      if (left === 0) resolve();
    },
    finished,
  };
}

async function inSchema<T>(url: string, work: (schema: string) => Promise<T>): Promise<T> {
  const schema = `jc_peer_${randomBytes(4).toString("hex")}`;
  try {
    return await work(schema);
  } finally {
    await adminQuery(url, `drop schema if exists "${schema}" cascade`);
  }
}

/** graphile-worker draining `tasks` tasks at `concurrency`. */
export function drainGraphileWorker(url: string, tasks: number, concurrency: number): Promise<PeerRate> {
  return inSchema(url, async (schema) => {
    const utils = await makeWorkerUtils({ connectionString: url, schema, logger: silent });
    try {
      await utils.migrate();
      const tally = countdown(tasks);
      const runner = await run({
        connectionString: url,
        schema,
        concurrency,
        noHandleSignals: true,
        pollInterval: 1000,
        logger: silent,
        taskList: {
          step: async () => {
            tally.done();
          },
        },
      });
      try {
        const started = performance.now();
        await utils.addJobs(
          Array.from({ length: tasks }, (_, index) => ({ identifier: "step", payload: { index } })),
        );
        await tally.finished;
        return { stepsPerSec: tasks / ((performance.now() - started) / 1000) };
      } finally {
        await runner.stop();
        await runner.promise.catch(() => {});
      }
    } finally {
      await utils.release();
    }
  });
}

/** pg-boss draining `tasks` tasks with `concurrency` local workers fetching batches of 50. */
export function drainPgBoss(url: string, tasks: number, concurrency: number): Promise<PeerRate> {
  return inSchema(url, async (schema) => {
    const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false });
    boss.on("error", () => {});
    await boss.start();
    try {
      const queue = "step";
      await boss.createQueue(queue);
      const tally = countdown(tasks);
      await boss.work(
        queue,
        {
          batchSize: 50,
          localConcurrency: concurrency,
          pollingIntervalSeconds: 0.5,
          burstWhenBatchFull: true,
        },
        async (jobs) => {
          for (const _ of jobs) tally.done();
        },
      );
      const started = performance.now();
      await boss.insert(
        queue,
        Array.from({ length: tasks }, (_, index) => ({ data: { index } })),
      );
      await tally.finished;
      return { stepsPerSec: tasks / ((performance.now() - started) / 1000) };
    } finally {
      await boss.stop({ graceful: true, close: true, timeout: 5_000 });
    }
  });
}
