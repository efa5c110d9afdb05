/**
 * What every new MySQL / MariaDB connection runs before its first query, including connections
 * the pool opens again after a server restart.
 * @module
 */
import { CompiledQuery, type DatabaseConnection } from "kysely";

/**
 * - `time_zone = '+00:00'`: `unix_timestamp(now(6))` (the database clock of mysql-adapter.ts)
 *   reads `now()` in the session time zone; UTC has no ambiguous daylight-saving hour, whatever
 *   the server's zone.
 * - READ COMMITTED: InnoDB then locks index records only, not the gaps between them. Under the
 *   default REPEATABLE READ, two grants (or creates) of new keys that fall into the same gap of
 *   an index both take a gap lock and then deadlock on their inserts; READ COMMITTED turns that
 *   into a plain wait or a duplicate-key error that the store retries. The operations need no
 *   snapshot older than their statement: each locks the lease row first and reads after it.
 */
const SESSION_STATEMENTS: readonly string[] = [
  "set time_zone = '+00:00'",
  "set session transaction isolation level read committed",
];

/** Runs {@link SESSION_STATEMENTS} on a new connection (Kysely's `onCreateConnection`). */
export async function initialiseSession(connection: DatabaseConnection): Promise<void> {
  for (const statement of SESSION_STATEMENTS) await connection.executeQuery(CompiledQuery.raw(statement));
}
