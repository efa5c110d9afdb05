/**
 * Managers over the SQL store: two managers (two pools) on one database share entries and
 * tickets, and a client whose own clock is minutes off gets the same grants and expiries,
 * because lease times come from the database clock.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { OffsetClock } from "../../src/base/clock.js";
import { ECacheTicket } from "../../src/base/errors.js";
import type { JobCacheManager } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { type MicrosColumn, microsToDate } from "../../src/store/sql/schema.js";
import { TEST_DIALECTS } from "../setup/sql-test-db.js";
import { uniqueCache, useSqlDatabase } from "./fixtures/sql-store-fixture.js";

const FIVE_MINUTES = 5 * 60_000;

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: managers`, () => {
    const fixture = useSqlDatabase(dialect, `managers.test ${dialect}`);

    async function managers(...offsets: number[]): Promise<JobCacheManager[]> {
      const config = fixture.db().config({ autoDeploy: "true" });
      const made: JobCacheManager[] = [];
      for (const offset of offsets)
        made.push(await createJobCacheManager(config, { clock: new OffsetClock(offset) }));
      return made;
    }

    async function databaseNow(): Promise<number> {
      const { settings } = await readSqlConfig(fixture.db().config());
      const now = sql<{ now: MicrosColumn }>`select ${settings.adapter.now()} as now`;
      return microsToDate((await now.execute(await fixture.db().admin())).rows[0]!.now).getTime();
    }

    it("shares entries and tickets between two managers (two pools) on one database", async () => {
      const [one, two] = await managers(0, 0);
      const cache = uniqueCache();
      try {
        const jobsOne = one!.getCache<{ step: number }>(cache);
        const jobsTwo = two!.getCache<{ step: number }>(cache);
        const ticket = await jobsOne.openNewTicket("job", 30_000);
        await jobsOne.createEntry(ticket, "QUEUED", { step: 1 });
        expect((await jobsTwo.queryKey("job"))?.value).toEqual({ step: 1 });
        expect((await jobsTwo.openTicket("job", 1, 30_000)).superseded).toBe(true);
        expect(await jobsTwo.queryStatus(["QUEUED"])).toEqual([]);
        await jobsOne.closeTicket(ticket);
        const next = await jobsTwo.openTicket("job", 1, 30_000);
        expect(next.superseded).toBe(false);
        expect(await jobsTwo.updateEntry(next, "RUNNING", { step: 2 })).toBe(2);
        await expect(jobsOne.updateEntry(ticket, "RUNNING", { step: 3 })).rejects.toThrow(ECacheTicket);
      } finally {
        await one!.close();
        await two!.close();
      }
    });

    it("gives a client whose clock is minutes off the same grants and expiries", async () => {
      const [ahead, behind] = await managers(FIVE_MINUTES, -FIVE_MINUTES);
      const cache = uniqueCache();
      try {
        const jobsAhead = ahead!.getCache(cache);
        const jobsBehind = behind!.getCache(cache);
        const before = await databaseNow();
        const first = await jobsAhead.openNewTicket("job", 20_000);
        const after = await databaseNow();
        expect(first.superseded).toBe(false);
        // Times are the database's, not the skewed client's.
        expect(first.grantTime.getTime()).toBeGreaterThanOrEqual(before - 1);
        expect(first.grantTime.getTime()).toBeLessThanOrEqual(after + 1);
        expect(first.expiry.getTime() - first.grantTime.getTime()).toBe(20_000);
        // The client that is behind cannot take the key, and the one ahead can still use it.
        expect((await jobsBehind.openNewTicket("job", 20_000)).superseded).toBe(true);
        expect(await jobsAhead.createEntry(first, "QUEUED", { step: 1 })).toBe(1);
        await jobsAhead.closeTicket(first);
        const second = await jobsBehind.openTicket("job", 1, 20_000);
        expect(second.superseded).toBe(false);
        expect(second.grantTime.getTime()).toBeGreaterThanOrEqual(first.grantTime.getTime());
        expect(second.expiry.getTime() - second.grantTime.getTime()).toBe(20_000);
        const renewed = await jobsBehind.renewTicket(second, 40_000);
        expect(renewed.expiry.getTime()).toBeGreaterThanOrEqual(second.grantTime.getTime() + 40_000);
        expect(renewed.expiry.getTime()).toBeLessThanOrEqual((await databaseNow()) + 40_001);
      } finally {
        await ahead!.close();
        await behind!.close();
      }
    });
  });
}
