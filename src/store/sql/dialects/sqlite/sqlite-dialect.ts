/**
 * The SQLITE dialect: an embedded database file, shared safely by several processes on one host
 * (WAL journal, busy timeout, `BEGIN IMMEDIATE` transactions).
 * @module
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely } from "kysely";
import { ECacheConfig } from "../../../../base/errors.js";
import { optionalEnum, optionalInt, optionalString } from "../../../../base/properties.js";
import type { JobcacheSchema } from "../../schema.js";
import type { ConnectHooks, DialectInput, DialectSettings, SqlDialect } from "../sql-dialect.js";
import { SqliteStoreAdapter } from "./sqlite-adapter.js";
import { SqliteFileDialect } from "./sqlite-driver.js";

/** Where the embedded default keeps its database, relative to the working directory. */
export const EMBEDDED_DATABASE_PATH = ".jobcache/jobcache.db";

/** `jdbc:sqlite:x.db`, `sqlite:x.db` and `file:x.db` all name the file `x.db`. */
function filePath(text: string): string {
  const path = text.replace(/^(jdbc:)?sqlite:(\/\/)?/i, "").replace(/^file:(\/\/)?/i, "");
  if (path === "") throw new ECacheConfig("jobCache.properties.jdbcUrl for SQLITE must name a database file");
  return path === ":memory:" ? path : resolve(path);
}

let memoryDatabases = 0;

function openFile(path: string, busyTimeoutMs: number, synchronous: string): Database.Database {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    // The open and the journal-mode switch may meet another process's lock: SQLite's own wait
    // is fine here, once; afterwards the driver waits asynchronously (sqlite-driver.ts).
    const db = new Database(path, { timeout: busyTimeoutMs });
    // WAL lets readers run beside the one writer; FULL fsyncs every commit (a lost commit could
    // run a job step twice), NORMAL trades that for ~15x faster commits.
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma("busy_timeout = 0");
    return db;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ECacheConfig(`Cannot open the SQLite job cache database ${path}: ${reason}`, { cause });
  }
}

/** The properties SQLITE reads, besides the protocol's own (sql-config.ts). */
const PROPERTIES = ["busyTimeoutMs", "sqlite.synchronous"];

function configure(input: DialectInput): DialectSettings {
  const props = input.properties;
  const path = filePath(
    optionalString(props, "jdbcUrl") ?? optionalString(props, "url") ?? EMBEDDED_DATABASE_PATH,
  );
  const busyTimeoutMs = optionalInt(props, "busyTimeoutMs", { min: 0, max: 600_000, default: 5_000 });
  const synchronous = optionalEnum(props, "sqlite.synchronous", {
    values: ["FULL", "NORMAL"],
    default: "FULL",
  });
  // Each in-memory database is private to its connection: key its queue apart from the others.
  const lockKey = path === ":memory:" ? `:memory:${++memoryDatabases}` : path;
  return {
    adapter: new SqliteStoreAdapter(),
    target: `sqlite:${path}`,
    namespace: undefined,
    async connect(hooks: ConnectHooks): Promise<Kysely<JobcacheSchema>> {
      const database = openFile(path, busyTimeoutMs, synchronous);
      hooks.logger.debug("jobcache: opened SQLite database", { path, synchronous, busyTimeoutMs });
      return new Kysely<JobcacheSchema>({
        dialect: new SqliteFileDialect({ database, file: lockKey, busyTimeoutMs }),
        ...(hooks.log === undefined ? {} : { log: hooks.log }),
      });
    },
  };
}

/** The SQLITE dialect (better-sqlite3 12). */
export const sqliteDialect: SqlDialect = { names: ["SQLITE"], properties: PROPERTIES, configure };
