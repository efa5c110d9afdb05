/**
 * A restart of the database server mid-run: `jobcache run` (three orchestrator processes, 40 jobs)
 * works against a throwaway PostgreSQL server of this test's own (never the shared one); once
 * the run is well under way the test stops the server, keeps it down longer than a ticket lasts,
 * and starts it again. The orchestrators back off while the cache is unavailable, the run's parent
 * waits the restart out, and the run completes with no double commit and no lost job; the lease
 * audit (a trigger on the server) shows no two tickets of a key overlapped.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { silentLogger } from "../../src/base/logger.js";
import type { PluginConfig } from "../../src/base/types.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { openConnection } from "../../src/store/sql/connect.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import type { JobcacheSchema } from "../../src/store/sql/schema.js";
import { jsonReport, ROOT, runCli } from "../e2e/run-cli.js";
import { auditLeases, installLeaseAudit, readLeaseAudit } from "../property/processes/support/lease-audit.js";
import { pollUntil } from "../property/processes/support/poll.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../setup/throwaway-postgres.js";

const JOBS = 40;
const TICKET_MS = 1_000;
/** How long the server stays down: longer than a ticket, so leases held at the stop expire. */
const OUTAGE_MS = 2_500;
/** Committed writes (seeding writes JOBS of them) after which the run is well under way. */
const RESTART_AFTER_WRITES = JOBS + 80;

describe("POSTGRESQL: the server restarts while jobcache run works", () => {
  let server: ThrowawayPostgres;
  let dir: string;
  let configFile: string;
  let admin: { db: Kysely<JobcacheSchema>; close(): Promise<void> };

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    const config: PluginConfig = {
      protocol: "JDBC",
      properties: { dialect: "POSTGRESQL", url: server.url, "pool.size": "3" },
    };
    await deploySchema(config);
    admin = await openConnection(await readSqlConfig(config), silentLogger);
    await installLeaseAudit(admin.db, "POSTGRESQL");
    dir = await mkdtemp(join(tmpdir(), "jobcache-restart-"));
    configFile = join(dir, "platform.yaml");
    await writeFile(configFile, stringify({ jobCache: config }));
  });

  afterAll(async () => {
    await admin?.close();
    await server?.destroy();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const committedWrites = async (): Promise<number> => {
    const result = await sql<{ n: string }>`select count(*)::text as n from lease_audit
      where state = 'committed'`.execute(admin.db);
    return Number(result.rows[0]?.n);
  };
  const startedAt = async (): Promise<string> => {
    const result = await sql<{ at: string }>`select pg_postmaster_start_time()::text as at`.execute(admin.db);
    return String(result.rows[0]?.at);
  };

  it("completes with 0 double commits and 0 lost jobs, and no overlapping tickets", async () => {
    const bootedAt = await startedAt();
    const args = ["run", "--config", configFile, "--jobs", String(JOBS), "--ticket-ms", String(TICKET_MS)];
    // --verbose: every orchestrator event on stderr, so the outage shows whatever the workers were
    // doing when it came (polling, or, on the fast path, mid-chain under a held ticket)
    const run = runCli([...args, "--json", "--verbose", "--timeout", "100"], ROOT, 110_000);
    let finished = false;
    void run.then(() => {
      finished = true;
    });

    await pollUntil(
      "the run is well under way",
      async () => finished || (await committedWrites()) >= RESTART_AFTER_WRITES,
      {
        timeoutMs: 60_000,
      },
    );
    expect(finished).toBe(false);
    const writesAtStop = await committedWrites();
    await server.stop();
    await delay(OUTAGE_MS); // the fault: the server is away this long
    await server.start();

    const done = await run;
    const report = jsonReport(done);
    expect(done.code, done.stderr).toBe(0);
    expect(report).toMatchObject({ jobs: JOBS, completed: JOBS, doubleCommits: 0, lostJobs: 0 });
    // the orchestrators saw the outage, and the run went on after it
    expect(done.stderr).toMatch(/cannot poll|pollFailed|stepFailed|leaseLost|renewalLate/);
    expect(await startedAt()).not.toBe(bootedAt);
    expect(await committedWrites()).toBeGreaterThan(writesAtStop);

    const audit = auditLeases(await readLeaseAudit(admin.db));
    expect(audit.problems).toEqual([]);
    // a ticket holds a job's whole chain of steps (claimed, then kept from step to step), so the
    // audit saw at least one per job, more where the outage or a failure ended a chain
    expect(audit.intervals.length).toBeGreaterThan(JOBS);
  }, 120_000);
});
