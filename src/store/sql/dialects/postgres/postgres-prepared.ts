/**
 * Named prepared statements for the pg pool Kysely uses. pg sends a query without a `name` as an
 * unnamed statement: the server parses and plans every CTE of the store again on every call.
 * Given a name, pg parses a text once per connection and afterwards only binds and executes it,
 * and PostgreSQL keeps the plan (a generic one once it is as good as the custom ones).
 * @module
 */
import type pg from "pg";

/** Distinct statement texts named per process; the store sends a few dozen. Past it: unnamed. */
const MAX_NAMED_STATEMENTS = 500;

/** Only data statements: BEGIN, COMMIT and DDL gain nothing from a plan kept for later. */
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * One name per text for the whole process: pg refuses a name it has parsed on a connection with
 * another text, so a name always means the same text. Names are per connection on the server.
 */
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED_STATEMENTS && DATA_STATEMENT.test(text)) {
    name = `jobcache_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

type Query = (...args: unknown[]) => unknown;

/**
 * Makes every client of `pool` send data statements as named prepared statements. Kysely calls
 * `client.query(text, parameters)`; that call becomes `client.query({ name, text, values })`.
 */
export function prepareStatementsOnConnect(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as Query;
    const named: Query = (text, values, ...rest) => {
      if (typeof text !== "string" || !Array.isArray(values) || rest.length > 0) {
        return query(text, values, ...rest);
      }
      const name = nameOf(text);
      return name === undefined ? query(text, values) : query({ name, text, values });
    };
    (client as unknown as { query: Query }).query = named;
  });
}
