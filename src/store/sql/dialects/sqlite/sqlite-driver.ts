/**
 * Kysely's SQLite driver with three changes for several processes (and managers) on one file:
 * every transaction starts with `BEGIN IMMEDIATE`; connections are queued per file in this
 * process (sqlite-file-mutex.ts); and waiting for another process's write lock happens between
 * event-loop turns, never inside a synchronous better-sqlite3 call.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import type Database from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type TransactionSettings,
} from "kysely";
import { errorCode } from "../sql-error-kind.js";
import { lockFile } from "./sqlite-file-mutex.js";

/**
 * A deferred `BEGIN` takes the write lock only at the first write; if another process wrote in
 * between, SQLite fails at once with SQLITE_BUSY_SNAPSHOT and no wait helps. `BEGIN IMMEDIATE`
 * takes the write lock first, so every store transaction, all of which write, runs to the end
 * once begun.
 */
const BEGIN_IMMEDIATE = CompiledQuery.raw("begin immediate");

/**
 * Backoff between attempts to take the write lock: a commit on this machine holds it for 0.1 to
 * 0.5 ms (WAL, synchronous=FULL), so the first retries come soon; the cap keeps a process that
 * lost several times in a row from sleeping through many free moments. Full jitter, so processes
 * that collided do not collide again in step.
 */
const FIRST_DELAY_MS = 0.5;
const MAX_DELAY_MS = 8;

function retryDelay(attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * SQLITE_BUSY (another connection holds the lock) and SQLITE_BUSY_RECOVERY; not
 * SQLITE_BUSY_SNAPSHOT, which no wait cures.
 */
function isLockBusy(error: unknown): boolean {
  const code = errorCode(error);
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_RECOVERY";
}

/** Prepared statements kept per connection; the store sends a few dozen distinct texts. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * The one connection of a driver, instead of Kysely's, which prepares every statement again on
 * every call: this one keeps the prepared statements by SQL text (bounded, oldest dropped).
 *
 * better-sqlite3 runs with a busy timeout of 0: SQLite's own busy handler would sleep 1, 2, 5 ...
 * 100 ms inside the synchronous call and stall this process's event loop, heartbeats included,
 * while another process commits. Instead a busy statement fails at once and is tried again after
 * an asynchronous, jittered pause, until `waitMs` has passed. Only statements outside a
 * transaction are retried (autocommitted statements and `BEGIN IMMEDIATE` itself): SQLITE_BUSY
 * there means nothing was done. A busy statement inside a transaction is left to the store's
 * retry of the whole operation.
 */
class LockWaitingConnection implements DatabaseConnection {
  readonly #database: Database.Database;
  readonly #waitMs: number;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(database: Database.Database, waitMs: number) {
    this.#database = database;
    this.#waitMs = waitMs;
  }

  #prepare(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#database.prepare(text);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
      this.#statements.set(text, statement);
    }
    return statement;
  }

  #run<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.#prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      insertId: lastInsertRowid == null ? undefined : BigInt(lastInsertRowid),
      numAffectedRows: changes == null ? undefined : BigInt(changes),
      rows: [],
    };
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Checked before the attempt too: SQLite may roll a transaction back on SQLITE_BUSY, and a
    // statement of a lost transaction must not run again on its own.
    const inTransaction = this.#database.inTransaction;
    // The pauses are added up rather than the clock read: the store never reads the client's
    // clock (test/sql/no-client-clock.test.ts), and a late timer only makes the wait longer.
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#run<R>(query);
      } catch (error) {
        const left = this.#waitMs - waited;
        if (!isLockBusy(error) || inTransaction || this.#database.inTransaction || left <= 0) throw error;
        const pause = Math.min(left, retryDelay(attempt));
        await sleep(pause);
        waited += pause;
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // A statement being iterated cannot run again meanwhile: a fresh one, not the cache's.
    const statement = this.#database.prepare(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}

/** Where a driver's connection comes from and how long it waits for the write lock. */
export interface SqliteFileOptions {
  readonly database: Database.Database;
  /** Keys the per-process queue: the file path, or a unique name for `:memory:`. */
  readonly file: string;
  /** How long a statement waits for another connection's write lock (`busyTimeoutMs`). */
  readonly busyTimeoutMs: number;
}

class SqliteFileDriver implements Driver {
  readonly #inner: SqliteDriver;
  readonly #options: SqliteFileOptions;
  #connection: DatabaseConnection | undefined;
  #release: (() => void) | undefined;

  constructor(options: SqliteFileOptions) {
    this.#inner = new SqliteDriver({ database: options.database });
    this.#options = options;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely already serialises this driver's single connection; this adds the other drivers on the file.
    this.#release = await lockFile(this.#options.file);
    this.#connection ??= new LockWaitingConnection(this.#options.database, this.#options.busyTimeoutMs);
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(BEGIN_IMMEDIATE);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    try {
      // forward, so the wrapped driver's own bookkeeping runs (Kysely 0.28 holds a lock until it)
      await this.#inner.releaseConnection();
    } finally {
      release?.();
    }
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

/**
 * SQLite supports transactional DDL; saying so makes Kysely's Migrator run each migration run in
 * one `BEGIN IMMEDIATE` transaction, which is what makes concurrent migrators safe on one file
 * (Kysely's own SQLite migration lock is a no-op).
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect with {@link SqliteFileDriver}. */
export class SqliteFileDialect extends SqliteDialect {
  readonly #options: SqliteFileOptions;

  constructor(options: SqliteFileOptions) {
    super({ database: options.database } satisfies SqliteDialectConfig);
    this.#options = options;
  }

  override createDriver(): Driver {
    return new SqliteFileDriver(this.#options);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
