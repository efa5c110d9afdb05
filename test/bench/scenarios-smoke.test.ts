/**
 * The scenarios' loops run and count what they did, on LOCAL and on the TRAC replay over a
 * SQLite file, with a handful of jobs; the targets section renders every figure. Nothing here
 * checks a speed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchReport } from "../../bench/bench-report.js";
import { type CallTicket, hasFastPath, type JobCalls } from "../../bench/scenarios/job-calls.js";
import { drainRound } from "../../bench/scenarios/queue-drain.js";
import { renderTargets } from "../../bench/scenarios/render-scenarios.js";
import { createReplayTables, TracReplay } from "../../bench/scenarios/trac-replay.js";
import { contend, drainWithCalls, fillQueue, lifecycles } from "../../bench/scenarios/workloads.js";
import { openSqlBenchStore, type SqlBenchStore } from "../../bench/targets/sql-bench-store.js";
import { createJobCacheManager, type JobCacheManager } from "../../src/index.js";

type Calls = JobCalls<CallTicket, unknown>;

describe("bench scenarios (smoke)", () => {
  let folder: string;
  let store: SqlBenchStore;
  let local: JobCacheManager;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "jobcache-bench-smoke-"));
    store = await openSqlBenchStore({
      protocol: "JDBC",
      properties: { dialect: "SQLITE", jdbcUrl: join(folder, "b.db") },
    });
    await createReplayTables(store.db);
    local = await createJobCacheManager({ protocol: "LOCAL" });
  });

  afterAll(async () => {
    await store?.manager.close();
    await local?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function both(name: string): [string, Calls][] {
    return [
      ["LOCAL", local.getCache(name) as unknown as Calls],
      ["TRAC replay", new TracReplay(store.db, name) as unknown as Calls],
    ];
  }

  it("runs job lifecycles to the end, the entry gone afterwards", async () => {
    for (const [what, calls] of both("life")) {
      let runs = 0;
      const done = await lifecycles(calls, "job", () => runs++ >= 3);
      expect(done, what).toBe(3);
      expect(await calls.queryStatus(["QUEUED", "SUCCEEDED"], { limit: 10 }), what).toEqual([]);
    }
  });

  it("drains every step of every job exactly once through TRAC's calls, and with contention", async () => {
    for (const [what, calls] of both("drain")) {
      await fillQueue(calls, "job", 6);
      const drained = await drainWithCalls(calls, 3, 18);
      expect(drained.steps, what).toBe(18);
      expect(await calls.queryStatus(["STEP_0", "STEP_1", "STEP_2"], { limit: 10 }), what).toEqual([]);
      expect(await calls.queryStatus(["DONE"], { limit: 10 }), what).toHaveLength(6);
    }
    for (const [what, calls] of both("contend")) {
      await fillQueue(calls, "key", 2);
      let rounds = 0;
      const contended = await contend([calls, calls, calls], ["key-0", "key-1"], () => rounds++ >= 30);
      expect(contended.steps + contended.collisions, what).toBeGreaterThan(0);
    }
  });

  it("drains through the fast path when the cache has it, and says it is not available when not", async () => {
    const round = await drainRound(store, { jobs: 4, stepsPerJob: 3, pollers: 2 }, 0);
    for (const rate of [round.replay, round.calls])
      expect(rate).toMatchObject({ stepsPerSec: expect.any(Number) });
    if (hasFastPath(store.manager.getCache("probe"))) {
      expect(round.fastPath).toMatchObject({ stepsPerSec: expect.any(Number) });
    } else {
      expect(round.fastPath).toEqual({ unavailable: expect.stringMatching(/not available/) });
    }
  });

  it("renders each figure beside its target", () => {
    const report = {
      stores: [],
      scenarios: {
        durationMs: 1,
        notes: ["MARIADB skipped: down"],
        figures: [
          {
            scenario: "drain",
            server: "POSTGRESQL",
            figure: "1.60×",
            against: "TRAC replay",
            target: "≥ 1.50×",
            met: true,
            detail: "d",
          },
          {
            scenario: "fast",
            server: "POSTGRESQL",
            figure: "not available",
            against: "TRAC replay",
            target: "≥ 3.00×",
            detail: "pending",
          },
        ],
      },
    } as unknown as BenchReport;
    const text = renderTargets(report).join("\n");
    expect(text).toContain("| drain | POSTGRESQL | **1.60×** | TRAC replay | ≥ 1.50× | met | d |");
    expect(text).toContain("| fast | POSTGRESQL | **not available** | TRAC replay | ≥ 3.00× |  | pending |");
    expect(text).toContain("- MARIADB skipped: down");
    expect(text).not.toMatch(/NaN|undefined/);
  });
});
