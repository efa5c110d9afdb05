/**
 * Dialect name -> dialect module, loaded on first use so a SQLite user never loads pg or mysql2.
 * A new dialect adds a line here and a folder with `<d>-dialect.ts`, `<d>-adapter.ts` and
 * `<d>-errors.ts`.
 * @module
 */
import { ECacheConfig } from "../../../base/errors.js";
import type { SqlDialect } from "./sql-dialect.js";

/** Loads a dialect's module: a literal `import()`, so bundlers and dead-code tools can follow it. */
type DialectLoader = () => Promise<SqlDialect>;

/** TRAC's dialect names. MYSQL and MARIADB share one module (MariaDB is a variant). */
const DIALECTS: Readonly<Record<string, DialectLoader>> = {
  SQLITE: async () => (await import("./sqlite/sqlite-dialect.js")).sqliteDialect,
  POSTGRESQL: async () => (await import("./postgres/postgres-dialect.js")).postgresDialect,
  MYSQL: async () => (await import("./mysql/mysql-dialect.js")).mysqlDialect,
  MARIADB: async () => (await import("./mysql/mysql-dialect.js")).mysqlDialect,
};

/** Other spellings people write for the same dialect. */
const ALIASES: Readonly<Record<string, string>> = { POSTGRES: "POSTGRESQL", SQLITE3: "SQLITE" };

/** The known dialect names, for messages. */
const DIALECT_NAMES: readonly string[] = Object.keys(DIALECTS);

/** The canonical upper-case name of `name`, or an ECacheConfig listing the known dialects. */
export function normaliseDialect(name: string): string {
  const upper = name.trim().toUpperCase();
  const canonical = ALIASES[upper] ?? upper;
  if (DIALECTS[canonical] === undefined) {
    const hint = upper === "H2" ? " (for an embedded database use SQLITE)" : "";
    throw new ECacheConfig(
      `Unknown SQL dialect ${JSON.stringify(name)}${hint}. Set jobCache.properties.dialect to one of ${DIALECT_NAMES.join(", ")}.`,
    );
  }
  return canonical;
}

/**
 * Loads the module of a dialect returned by {@link normaliseDialect}.
 * @throws ECacheConfig when the dialect's module cannot be loaded (e.g. its driver is missing)
 */
export async function loadDialect(name: string): Promise<SqlDialect> {
  const load = DIALECTS[name];
  if (load === undefined) throw new ECacheConfig(`Unknown SQL dialect ${JSON.stringify(name)}`);
  try {
    return await load();
  } catch (cause) {
    throw new ECacheConfig(`SQL dialect ${name} cannot be loaded: ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
  }
}
