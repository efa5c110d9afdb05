/**
 * The connection forms of a TRAC config for PostgreSQL: `jdbcUrl: //host:port/db` (also with a
 * `jdbc:postgresql:` prefix) or a plain `url: postgres://user:pass@host:port/db`.
 * @module
 */
import { ECacheConfig } from "../../../../base/errors.js";

/** The parts of a connection URL the pool needs. */
export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** `?ssl=true` or `?sslmode=require|verify-ca|verify-full`. */
  readonly ssl: boolean | { rejectUnauthorized: boolean };
}

const DEFAULT_PORT = 5432;

function sslOf(params: URLSearchParams): PostgresAddress["ssl"] {
  const mode = params.get("sslmode")?.toLowerCase();
  if (mode === "verify-ca" || mode === "verify-full") return { rejectUnauthorized: true };
  if (mode === "require" || params.get("ssl")?.toLowerCase() === "true") return { rejectUnauthorized: false };
  return false;
}

/**
 * Parses `//host:port/db`, `jdbc:postgresql://host/db` or `postgres(ql)://user:pass@host/db`.
 * @throws ECacheConfig naming the property and the expected form (never echoing a password)
 */
export function parsePostgresUrl(text: string, property: string): PostgresAddress {
  const withScheme = text.replace(/^jdbc:/i, "").replace(/^\/\//, "postgresql://");
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ECacheConfig(
      `jobCache.properties.${property} must look like //host:5432/database or postgres://user@host:5432/database`,
    );
  }
  if (!/^postgres(ql)?:$/i.test(url.protocol) || url.hostname === "") {
    throw new ECacheConfig(
      `jobCache.properties.${property} must be a PostgreSQL URL like //host:5432/database (got scheme ${url.protocol})`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database === "" || database.includes("/")) {
    throw new ECacheConfig(`jobCache.properties.${property} must name a database: //host:5432/database`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? DEFAULT_PORT : Number(url.port),
    database,
    user: url.username === "" ? undefined : decodeURIComponent(url.username),
    password: url.password === "" ? undefined : decodeURIComponent(url.password),
    ssl: sslOf(url.searchParams),
  };
}
