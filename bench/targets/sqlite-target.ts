/**
 * SQLITE on a fresh temp file with the store's defaults (WAL, synchronous=FULL), removed
 * afterwards.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TargetOutcome } from "./bench-target.js";
import { openSqlBenchStore } from "./sql-bench-store.js";

/** SQLite's `pragma synchronous` numbers. */
const SYNCHRONOUS: Readonly<Record<string, string>> = {
  "0": "OFF",
  "1": "NORMAL",
  "2": "FULL",
  "3": "EXTRA",
};

/** Opens SQLITE on a temp file. */
export async function openSqliteTarget(): Promise<TargetOutcome> {
  const folder = mkdtempSync(join(tmpdir(), "jobcache-bench-"));
  const removeFolder = () => {
    process.off("exit", removeFolder);
    rmSync(folder, { recursive: true, force: true });
  };
  // Also when opening hangs and the run gives up on this store (see time-limit.ts).
  process.on("exit", removeFolder);
  try {
    const store = await openSqlBenchStore({
      protocol: "JDBC",
      properties: { dialect: "SQLITE", jdbcUrl: join(folder, "bench.db") },
    });
    const journal = await store.queryText("pragma journal_mode");
    const synchronous = await store.queryText("pragma synchronous");
    return {
      open: {
        manager: store.manager,
        version: `SQLite ${await store.queryText("select sqlite_version()")} (better-sqlite3)`,
        settings: `journal_mode=${journal}, synchronous=${SYNCHRONOUS[synchronous] ?? synchronous}, file in ${tmpdir()}`,
        baselines: [store.roundTrip, await store.commitBaseline()],
        batch: 1,
        statements: store.statements,
        async close() {
          await store.manager.close();
          removeFolder();
        },
      },
    };
  } catch (error) {
    removeFolder();
    throw error;
  }
}
