/**
 * Kysely's SQLite driver with two changes for several processes (and managers) on one file:
 * every transaction starts with `BEGIN IMMEDIATE`, and connections are queued per file in this
 * process (sqlite-file-mutex.ts).
 * @module
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type TransactionSettings,
} from "kysely";
import { lockFile } from "./sqlite-file-mutex.js";

/**
 * A deferred `BEGIN` takes the write lock only at the first write; if another process wrote in
 * between, SQLite fails at once with SQLITE_BUSY_SNAPSHOT and the busy timeout does not help.
 * `BEGIN IMMEDIATE` takes the write lock first (waiting up to the busy timeout), so every store
 * transaction, all of which write, runs to the end once begun.
 */
const BEGIN_IMMEDIATE = CompiledQuery.raw("begin immediate");

class SqliteFileDriver implements Driver {
  readonly #inner: SqliteDriver;
  readonly #file: string;
  #release: (() => void) | undefined;

  constructor(config: SqliteDialectConfig, file: string) {
    this.#inner = new SqliteDriver(config);
    this.#file = file;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely already serialises this driver's single connection; this adds the other drivers on the file.
    this.#release = await lockFile(this.#file);
    return this.#inner.acquireConnection();
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

/** Kysely's SQLite dialect with {@link SqliteFileDriver}. `file` keys the per-process queue. */
export class SqliteFileDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #file: string;

  constructor(config: SqliteDialectConfig, file: string) {
    super(config);
    this.#config = config;
    this.#file = file;
  }

  override createDriver(): Driver {
    return new SqliteFileDriver(this.#config, this.#file);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
