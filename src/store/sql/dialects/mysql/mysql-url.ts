/**
 * The connection forms of a TRAC config for MySQL and MariaDB: `jdbcUrl: //host:port/db` (also
 * with a `jdbc:mysql:` or `jdbc:mariadb:` prefix) or a plain `url: mysql://user:pass@host:port/db`
 * (`mariadb://` too).
 * @module
 */
import { ECacheConfig } from "../../../../base/errors.js";

/** The parts of a connection URL the pool needs. */
export interface MysqlAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /**
   * TLS from the URL's parameters: Connector/J's `sslMode` (REQUIRED, VERIFY_CA,
   * VERIFY_IDENTITY), `useSSL=true` or `ssl=true`; undefined for a plain connection.
   */
  readonly ssl: { readonly rejectUnauthorized: boolean } | undefined;
}

const DEFAULT_PORT = 3306;
const SCHEMES = /^(mysql|mariadb):$/i;
const FORM = "//host:3306/database or mysql://user@host:3306/database";

function sslOf(params: URLSearchParams): MysqlAddress["ssl"] {
  const mode = (params.get("sslMode") ?? params.get("sslmode") ?? params.get("ssl-mode"))?.toUpperCase();
  if (mode === "VERIFY_CA" || mode === "VERIFY_IDENTITY") return { rejectUnauthorized: true };
  if (mode === "REQUIRED" || mode === "REQUIRE") return { rejectUnauthorized: false };
  const flag = (params.get("useSSL") ?? params.get("ssl"))?.toLowerCase();
  return flag === "true" ? { rejectUnauthorized: false } : undefined;
}

/** `%`-decodes a URL part; a malformed escape is a config error, not a crash. */
function decoded(part: string, property: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ECacheConfig(
      `jobCache.properties.${property} has a malformed %-escape; it must look like ${FORM}`,
    );
  }
}

/**
 * Parses `//host:port/db`, `jdbc:mysql://host/db`, `jdbc:mariadb://host/db`,
 * `mysql://user:pass@host/db` or `mariadb://user:pass@host/db`.
 * @throws ECacheConfig naming the property and the expected form (never echoing a password)
 * @example
 * parseMysqlUrl("//db:3306/jobs", "jdbcUrl"); // { host: "db", port: 3306, database: "jobs", ... }
 */
export function parseMysqlUrl(text: string, property: string): MysqlAddress {
  const withScheme = text.replace(/^jdbc:/i, "").replace(/^\/\//, "mysql://");
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ECacheConfig(`jobCache.properties.${property} must look like ${FORM}`);
  }
  if (!SCHEMES.test(url.protocol) || url.hostname === "") {
    throw new ECacheConfig(
      `jobCache.properties.${property} must be a MySQL or MariaDB URL like ${FORM} (got scheme ${url.protocol})`,
    );
  }
  const database = decoded(url.pathname.replace(/^\//, ""), property);
  if (database === "" || database.includes("/")) {
    throw new ECacheConfig(`jobCache.properties.${property} must name a database: //host:3306/database`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? DEFAULT_PORT : Number(url.port),
    database,
    user: url.username === "" ? undefined : decoded(url.username, property),
    password: url.password === "" ? undefined : decoded(url.password, property),
    ssl: sslOf(url.searchParams),
  };
}
