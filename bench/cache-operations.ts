/**
 * The cache operations the benchmark times, each over its own cache so they never meet: a grant
 * and close, a full job step, a renewal, a create under a fresh ticket, and a status query over a
 * thousand entries. They go through the public JobCache, with validation and the value codec,
 * as an orchestrator calls them.
 * @module
 */
import type { CacheTicket, JobCache, JobCacheManager } from "../src/index.js";
import type { OperationCase } from "./operation-case.js";

/** A small job record, as an orchestrator might keep per job. */
export interface BenchValue {
  readonly job: string;
  readonly step: number;
  readonly params: { readonly region: string; readonly shards: readonly number[] };
}

/** Long enough that no ticket of a run expires, short of the 5-minute maximum. */
const TICKET_MS = 120_000;

/** Creates at most this many entries at once while filling a cache (SQLite queues them anyway). */
const FILL_CONCURRENCY = 8;

/** The value stored for `key`. */
export function benchValue(key: string, step = 0): BenchValue {
  return { job: key, step, params: { region: "eu-west", shards: [1, 2, 3] } };
}

function granted(ticket: CacheTicket): CacheTicket {
  // A refused ticket would time the refusal path and make every later call fail: stop at once.
  if (ticket.superseded || ticket.missing) {
    throw new Error(`benchmark: ticket on ${ticket.key} was not granted (superseded or missing)`);
  }
  return ticket;
}

/** Creates one entry per key, with status `status`, each under its own closed ticket. */
export async function createEntries(
  cache: JobCache<BenchValue>,
  keys: readonly string[],
  status: string,
): Promise<void> {
  for (let start = 0; start < keys.length; start += FILL_CONCURRENCY) {
    await Promise.all(
      keys.slice(start, start + FILL_CONCURRENCY).map(async (key) => {
        const ticket = granted(await cache.openNewTicket(key, TICKET_MS));
        try {
          await cache.createEntry(ticket, status, benchValue(key));
        } finally {
          await cache.closeTicket(ticket);
        }
      }),
    );
  }
}

function keyList(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
}

/** Sizes of the fixture. */
export interface OperationOptions {
  /** Calls per timed sample (see {@link OperationCase.batch}). */
  readonly batch: number;
  /** Entries the status query runs over (it returns the oldest 10). */
  readonly queryEntries: number;
  /** Existing entries the grant and step operations cycle through. */
  readonly keyPool: number;
}

/** The operations over one manager, and the clean-up of what they hold. */
export interface OperationFixture {
  readonly operations: readonly OperationCase[];
  /** Closes the ticket the renewal holds. */
  close(): Promise<void>;
}

/** Operations whose ratio the issue sets a target for: each one call, alone in the timed part. */
export const WRITE_CALLS = [
  "openTicket",
  "openNewTicket",
  "createEntry",
  "updateEntry",
  "deleteEntry",
  "closeTicket",
  "renewTicket",
] as const;
export const READ_CALLS = ["readEntry", "queryStatus"] as const;

/**
 * One case per API call not timed alone above, each timing exactly one call, with the tickets it
 * needs opened and closed around it (untimed).
 */
async function singleCalls(manager: JobCacheManager, options: OperationOptions): Promise<OperationCase[]> {
  const { batch } = options;
  const openCache = manager.getCache<BenchValue>("bench_open");
  const heldCache = manager.getCache<BenchValue>("bench_held");
  const newCache = manager.getCache<BenchValue>("bench_new");
  // A sample holds `batch` tickets at once, each on a key of its own.
  const pool = Math.max(options.keyPool, batch);
  const openKeys = keyList("open", pool);
  const heldKeys = keyList("held", pool);
  await createEntries(openCache, openKeys, "QUEUED");
  await createEntries(heldCache, heldKeys, "QUEUED");
  const heldRevisions = new Map(heldKeys.map((key) => [key, 1]));
  let opened: CacheTicket[] = [];
  let next = 0;
  let cursor = 0;
  let fresh = 0;

  /** Opens `count` tickets on held entries (untimed), for calls that need a live ticket. */
  async function openHeld(count: number): Promise<void> {
    opened = [];
    next = 0;
    for (let i = 0; i < count; i++) {
      const key = heldKeys[cursor++ % heldKeys.length]!;
      opened.push(granted(await heldCache.openTicket(key, heldRevisions.get(key)!, TICKET_MS)));
    }
  }
  async function closeAll(cache: JobCache<BenchValue>): Promise<void> {
    for (const ticket of opened) await cache.closeTicket(ticket);
    opened = [];
  }
  const onHeld = (
    name: string,
    what: string,
    call: (ticket: CacheTicket) => Promise<unknown>,
  ): OperationCase => ({
    name,
    what,
    batch,
    before: openHeld,
    call: () => call(opened[next++]!),
    after: () => closeAll(heldCache),
  });

  return [
    {
      name: "openTicket",
      what: "openTicket(key, revision) on an existing entry (closing it is not timed)",
      batch,
      before: async () => {
        opened = [];
      },
      async call() {
        opened.push(granted(await openCache.openTicket(openKeys[cursor++ % openKeys.length]!, 1, TICKET_MS)));
      },
      after: () => closeAll(openCache),
    },
    {
      name: "openNewTicket",
      what: "openNewTicket on a key with no entry (closing it is not timed)",
      batch,
      before: async () => {
        opened = [];
      },
      async call() {
        opened.push(granted(await newCache.openNewTicket(`new-${fresh++}`, TICKET_MS)));
      },
      after: () => closeAll(newCache),
    },
    onHeld(
      "updateEntry",
      "updateEntry under a live ticket (opening and closing it is not timed)",
      async (ticket) => {
        heldRevisions.set(ticket.key, await heldCache.updateEntry(ticket, "RUNNING", benchValue(ticket.key)));
      },
    ),
    {
      name: "deleteEntry",
      what: "deleteEntry under the live ticket that created the entry (create and close not timed)",
      batch,
      async before(count) {
        opened = [];
        next = 0;
        for (let i = 0; i < count; i++) {
          const ticket = granted(await newCache.openNewTicket(`doomed-${fresh++}`, TICKET_MS));
          await newCache.createEntry(ticket, "QUEUED", benchValue(ticket.key));
          opened.push(ticket);
        }
      },
      call: () => newCache.deleteEntry(opened[next++]!),
      after: () => closeAll(newCache),
    },
    {
      name: "closeTicket",
      what: "closeTicket of a live ticket (opening it is not timed)",
      batch,
      before: openHeld,
      call: () => heldCache.closeTicket(opened[next++]!),
      after: async () => {
        opened = [];
      },
    },
    onHeld("readEntry", "readEntry under a live ticket (opening and closing it is not timed)", (ticket) =>
      heldCache.readEntry(ticket),
    ),
  ];
}

/** Fills the caches the operations need and returns the operations. */
export async function prepareOperations(
  manager: JobCacheManager,
  options: OperationOptions,
): Promise<OperationFixture> {
  const { batch } = options;
  const grantCache = manager.getCache<BenchValue>("bench_grant");
  const stepCache = manager.getCache<BenchValue>("bench_step");
  const renewCache = manager.getCache<BenchValue>("bench_renew");
  const createCache = manager.getCache<BenchValue>("bench_create");
  const queryCache = manager.getCache<BenchValue>("bench_query");

  const grantKeys = keyList("grant", options.keyPool);
  const stepKeys = keyList("step", options.keyPool);
  await createEntries(grantCache, grantKeys, "QUEUED");
  await createEntries(stepCache, stepKeys, "QUEUED");
  await createEntries(queryCache, keyList("query", options.queryEntries), "QUEUED");
  const stepRevisions = new Map(stepKeys.map((key) => [key, 1]));
  let renewed = granted(await renewCache.openNewTicket("renewed", TICKET_MS));

  let grants = 0;
  let steps = 0;
  let creates = 0;
  let fresh: CacheTicket[] = [];
  let nextFresh = 0;

  const grantClose: OperationCase = {
    name: "grant+close",
    what: "openTicket(key, revision) then closeTicket, on an existing entry",
    batch,
    async call() {
      const key = grantKeys[grants++ % grantKeys.length]!;
      await grantCache.closeTicket(granted(await grantCache.openTicket(key, 1, TICKET_MS)));
    },
  };
  const fullStep: OperationCase = {
    name: "full step",
    what: "openTicket, updateEntry (new status and value), closeTicket",
    batch,
    async call() {
      const key = stepKeys[steps++ % stepKeys.length]!;
      const revision = stepRevisions.get(key)!;
      const ticket = granted(await stepCache.openTicket(key, revision, TICKET_MS));
      stepRevisions.set(key, await stepCache.updateEntry(ticket, "RUNNING", benchValue(key, revision)));
      await stepCache.closeTicket(ticket);
    },
  };
  const renew: OperationCase = {
    name: "renewTicket",
    what: "renewTicket of a live ticket (a heartbeat)",
    batch,
    async call() {
      renewed = await renewCache.renewTicket(renewed, TICKET_MS);
    },
  };
  const create: OperationCase = {
    name: "createEntry",
    what: "createEntry under a fresh openNewTicket ticket (opening and closing it is not timed)",
    batch,
    async before(count) {
      nextFresh = 0;
      fresh = [];
      for (let i = 0; i < count; i++) {
        fresh.push(granted(await createCache.openNewTicket(`create-${creates++}`, TICKET_MS)));
      }
    },
    call() {
      const ticket = fresh[nextFresh++]!;
      return createCache.createEntry(ticket, "QUEUED", benchValue(ticket.key));
    },
    async after() {
      for (const ticket of fresh) await createCache.closeTicket(ticket);
      fresh = [];
    },
  };
  const query: OperationCase = {
    name: "queryStatus",
    what: `queryStatus(["QUEUED"], { limit: 10 }) over ${options.queryEntries} entries`,
    batch,
    async call() {
      const found = await queryCache.queryStatus(["QUEUED"], { limit: 10 });
      if (found.length !== 10)
        throw new Error(`benchmark: queryStatus returned ${found.length} entries, not 10`);
    },
  };
  return {
    operations: [grantClose, fullStep, renew, create, query, ...(await singleCalls(manager, options))],
    close: () => renewCache.closeTicket(renewed),
  };
}
