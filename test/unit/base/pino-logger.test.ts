import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobCacheManager, pinoLogger } from "jobcache";
import pino from "pino";
import { describe, expect, it } from "vitest";

/** A pino destination that keeps each record, parsed. */
function recordingPino(level = "debug") {
  const records: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => records.push(JSON.parse(line) as Record<string, unknown>) };
  return { records, logger: pino({ level, base: null, timestamp: false }, stream) };
}

describe("pinoLogger", () => {
  it("maps each level to pino's: the message is msg, the facts are fields", () => {
    const { records, logger } = recordingPino();
    const log = pinoLogger(logger);
    log.debug("polling", { keys: 3 });
    log.info("ready");
    log.warn("connection lost", { target: "db:5432", code: "ECONNRESET" });
    log.error("gave up", { attempts: 4 });
    expect(records).toEqual([
      { level: 20, msg: "polling", keys: 3 },
      { level: 30, msg: "ready" },
      { level: 40, msg: "connection lost", target: "db:5432", code: "ECONNRESET" },
      { level: 50, msg: "gave up", attempts: 4 },
    ]);
  });

  it("keeps pino's level filter: below the level nothing is written", () => {
    const { records, logger } = recordingPino("warn");
    const log = pinoLogger(logger);
    log.debug("noise");
    log.info("noise");
    log.warn("kept");
    expect(records.map((record) => record.msg)).toEqual(["kept"]);
  });

  it("a manager's logger option takes it: the SQL store says it is ready through pino", async () => {
    const dir = await mkdtemp(join(tmpdir(), "jobcache-pino-"));
    const { records, logger } = recordingPino();
    try {
      const manager = await createJobCacheManager(
        {
          protocol: "SQL",
          properties: {
            dialect: "SQLITE",
            jdbcUrl: `jdbc:sqlite:${join(dir, "jobs.db")}`,
            autoDeploy: "true",
          },
        },
        { logger: pinoLogger(logger) },
      );
      await manager.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(records).toContainEqual(expect.objectContaining({ level: 30, msg: "jobcache: SQL store ready" }));
  });
});
