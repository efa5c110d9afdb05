/**
 * Dialect name -> dialect module, loaded on first use so a SQLite user never loads pg or mysql2.
 * A new dialect adds a line here and a folder with `<d>-dialect.ts`, `<d>-adapter.ts` and
 * `<d>-errors.ts`.
 * @module
 */
import { ECacheConfig } from "../../../errors.js";
import type { SqlDialect } from "./sql-dialect.js";

interface DialectModule {
  readonly specifier: string;
  readonly exportName: string;
}

/** TRAC's dialect names. MYSQL and MARIADB share one module (MariaDB is a variant). */
const DIALECTS: Readonly<Record<string, DialectModule>> = {
  SQLITE: { specifier: "./sqlite/sqlite-dialect.js", exportName: "sqliteDialect" },
  POSTGRESQL: { specifier: "./postgres/postgres-dialect.js", exportName: "postgresDialect" },
  MYSQL: { specifier: "./mysql/mysql-dialect.js", exportName: "mysqlDialect" },
  MARIADB: { specifier: "./mysql/mysql-dialect.js", exportName: "mysqlDialect" },
};

/** Other spellings people write for the same dialect. */
const ALIASES: Readonly<Record<string, string>> = { POSTGRES: "POSTGRESQL", SQLITE3: "SQLITE" };

/** The known dialect names, for messages. */
export const DIALECT_NAMES: readonly string[] = Object.keys(DIALECTS);

/** The canonical upper-case name of `name`, or an ECacheConfig listing the known dialects. */
export function normaliseDialect(name: string): string {
  const upper = name.trim().toUpperCase();
  const canonical = ALIASES[upper] ?? upper;
  if (DIALECTS[canonical] === undefined) {
    const hint = upper === "H2" ? " (for an embedded database use SQLITE)" : "";
    throw new ECacheConfig(
      `Unknown SQL dialect "${name}"${hint}. Set jobCache.properties.dialect to one of ${DIALECT_NAMES.join(", ")}.`,
    );
  }
  return canonical;
}

/**
 * Loads the module of a dialect returned by {@link normaliseDialect}.
 * @throws ECacheConfig when the dialect's module is not part of this build
 */
export async function loadDialect(name: string): Promise<SqlDialect> {
  const module = DIALECTS[name];
  if (module === undefined) throw new ECacheConfig(`Unknown SQL dialect "${name}"`);
  let loaded: Record<string, unknown>;
  try {
    // A variable specifier: dialect folders may be added after this file was written.
    const specifier: string = module.specifier;
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (cause) {
    throw new ECacheConfig(`SQL dialect ${name} is not available in this build of jobcache`, { cause });
  }
  const dialect = loaded[module.exportName] as SqlDialect | undefined;
  if (dialect === undefined || !dialect.names.includes(name)) {
    throw new ECacheConfig(
      `SQL dialect module for ${name} does not export ${module.exportName} serving ${name}`,
    );
  }
  return dialect;
}
