/**
 * Server-side prepared statements for the mysql2 pool Kysely uses. Kysely's MySQL driver sends
 * every statement with `query` (the text protocol: parsed again on every call); mysql2's
 * `execute` prepares a text once per connection (kept in its per-connection cache) and then only
 * sends the parameters, in the binary protocol.
 *
 * Used for MARIADB only, where the whole suite runs with it. mysql2 binds every JS number as a
 * DOUBLE, and MySQL 8.0.22+ refuses a DOUBLE for `LIMIT ?` in a prepared statement ("Incorrect
 * arguments to mysqld_stmt_execute") and re-prepares a statement whose parameter types changed;
 * MySQL 8 is not available on this project's machines to test a way around that, so MYSQL keeps
 * the text protocol.
 * @module
 */
import type { Pool } from "mysql2";

/** Only data statements: BEGIN, COMMIT, SET and DDL are not preparable, or gain nothing. */
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

type Query = (...args: unknown[]) => unknown;

/** Makes every connection of `pool` send Kysely's data statements with `execute`. */
export function prepareStatementsOnConnect(pool: Pool): void {
  pool.on("connection", (connection) => {
    const target = connection as unknown as { query: Query; execute: Query };
    const query = target.query.bind(connection);
    const execute = target.execute.bind(connection);
    target.query = (text, values, ...rest) =>
      typeof text === "string" && Array.isArray(values) && DATA_STATEMENT.test(text)
        ? execute(text, values, ...rest)
        : query(text, values, ...rest);
  });
}
