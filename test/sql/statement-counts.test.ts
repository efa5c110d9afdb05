/**
 * Counts the statements each operation sends (Kysely's query log sees every one, BEGIN and
 * COMMIT included). docs/dialects.md records these numbers; change both together.
 */
import type { LogEvent } from "kysely";
import { describe, expect, it } from "vitest";
import { TEST_DIALECTS, type TestDialect } from "../setup/sql-test-db.js";
import {
  grantRequest,
  leaseOf,
  type StoreVariant,
  storeVariants,
  uniqueCache,
  useSqlDatabase,
  writeRequest,
} from "./fixtures/sql-store-fixture.js";

type Operation =
  | "grant (granted)"
  | "grant (refused)"
  | "renew"
  | "release"
  | "create"
  | "update"
  | "update (refused)"
  | "delete"
  | "read"
  | "queryKey"
  | "queryStatus"
  | "claim"
  | "claim (none)"
  | "update (close)";

/** Statements per operation: the numbers in docs/dialects.md. */
const EXPECTED: Record<TestDialect, Record<StoreVariant["strategies"], Record<Operation, number>>> = {
  POSTGRESQL: {
    native: {
      "grant (granted)": 1,
      "grant (refused)": 1,
      renew: 1,
      release: 1,
      create: 1,
      update: 1,
      "update (refused)": 2,
      delete: 1,
      read: 1,
      queryKey: 1,
      queryStatus: 1,
      claim: 1,
      "claim (none)": 1,
      "update (close)": 1,
    },
    // begin, lock, change, record, commit; grants: begin, lock-read, probe, write, commit
    portable: {
      "grant (granted)": 5,
      "grant (refused)": 4,
      renew: 2,
      release: 1,
      create: 4,
      update: 4,
      "update (refused)": 4,
      delete: 4,
      read: 1,
      queryKey: 1,
      queryStatus: 1,
      claim: 5,
      "claim (none)": 3,
      "update (close)": 4,
    },
  },
  SQLITE: {
    native: {
      "grant (granted)": 1,
      "grant (refused)": 2,
      renew: 1,
      release: 1,
      create: 4,
      update: 4,
      "update (refused)": 4,
      delete: 4,
      read: 1,
      queryKey: 1,
      queryStatus: 1,
      claim: 4,
      "claim (none)": 3,
      "update (close)": 4,
    },
    portable: {
      "grant (granted)": 5,
      "grant (refused)": 4,
      renew: 2,
      release: 1,
      create: 4,
      update: 4,
      "update (refused)": 4,
      delete: 4,
      read: 1,
      queryKey: 1,
      queryStatus: 1,
      claim: 5,
      "claim (none)": 3,
      "update (close)": 4,
    },
  },
};

for (const variant of storeVariants(TEST_DIALECTS)) {
  describe(`${variant.name}: statements per operation`, () => {
    const fixture = useSqlDatabase(variant.dialect, `statement-counts.test ${variant.name}`, variant);

    it("sends the documented number of statements for every operation", async () => {
      const statements: string[] = [];
      const log = (event: LogEvent) => {
        if (event.level === "query") statements.push(event.query.sql);
      };
      const store = await fixture.open({ log });
      const counted = async (run: () => Promise<unknown>) => {
        statements.length = 0;
        await run();
        return statements.length;
      };
      const cache = uniqueCache();
      const request = grantRequest(cache, "k", null);
      const lease = leaseOf(request);
      const queued = grantRequest(cache, "q", null);
      await store.grant(queued);
      await store.create({ ...writeRequest(leaseOf(queued), 0), status: "Q", value: "v", close: true });
      const claim = (ticketIds: string[]) =>
        store.claim({ cacheName: cache, statuses: ["Q"], durationMs: 10_000, limit: 2, ticketIds });
      const counts: Record<Operation, number> = {
        "grant (granted)": await counted(() => store.grant(request)),
        "grant (refused)": await counted(() => store.grant(grantRequest(cache, "k", null))),
        renew: await counted(() => store.renew({ ...lease, durationMs: 10_000 })),
        create: await counted(() => store.create({ ...writeRequest(lease, 0), status: "S", value: "v" })),
        update: await counted(() => store.update({ ...writeRequest(lease, 1), status: "S", value: "v" })),
        "update (refused)": await counted(() =>
          store
            .update({ ...writeRequest(lease, 7), status: "S", value: "v" })
            .catch((error: unknown) => error),
        ),
        read: await counted(() => store.read(lease)),
        queryKey: await counted(() => store.queryKey(lease)),
        queryStatus: await counted(() =>
          store.queryStatus(cache, ["S"], { includeOpenTickets: false, limit: 5 }),
        ),
        claim: await counted(() => claim(["t1", "t2"])),
        "claim (none)": await counted(() => claim(["t3", "t4"])),
        "update (close)": await counted(() =>
          store.update({
            ...writeRequest({ ...leaseOf(queued), ticketId: "t1" }, 1),
            status: "Q",
            value: "w",
            close: true,
          }),
        ),
        delete: await counted(() => store.delete(writeRequest(lease, 2))),
        release: await counted(() => store.release(lease)),
      };
      expect(counts).toEqual(EXPECTED[variant.dialect][variant.strategies]);
    });
  });
}
