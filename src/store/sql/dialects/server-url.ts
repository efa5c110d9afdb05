/**
 * The one reader of database-server URLs, for PostgreSQL and MySQL/MariaDB alike, built on
 * `pg-connection-string` (the parser pg itself uses). It takes TRAC's `jdbcUrl: //host:port/db`
 * (also behind `jdbc:postgresql:`, `jdbc:mysql:`, `jdbc:mariadb:`) and plain
 * `url: postgres://user:pass@host:port/db` forms. The same parse that connects also gives the URL
 * as it may be printed (`redacted`), so no message ever needs to search text for a password.
 * @module
 */
import { parse } from "pg-connection-string";
import { ECacheConfig } from "../../../base/errors.js";
import { REDACTED } from "../../../base/redaction.js";

/** TLS settings for the driver; `undefined` for a plain connection. */
interface ServerTls {
  /** Verify the server's certificate against `ca` (or the system's CAs). */
  readonly rejectUnauthorized: boolean;
  /** PEM text of the `sslrootcert` file. */
  readonly ca?: string;
  /** PEM text of the `sslcert` / `sslkey` files (client certificate). */
  readonly cert?: string;
  readonly key?: string;
  /** `verify-ca`: check the chain but not the host name. */
  readonly checkServerIdentity?: () => undefined;
}

/** What a server URL says: where, who, and how to secure the connection. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** From the URL's user part or its `?user=` parameter. */
  readonly user: string | undefined;
  /** From the URL's password part or its `?password=` parameter. */
  readonly password: string | undefined;
  readonly ssl: ServerTls | undefined;
  /** The URL as written, with its password (part or parameter) replaced by `***`. */
  readonly redacted: string;
}

/** The server family a URL is read for. */
export type ServerKind = "postgresql" | "mysql";

interface Form {
  readonly schemes: RegExp;
  readonly defaultPort: number;
  readonly example: string;
  readonly names: string;
  readonly tls: (params: URLSearchParams, files: TlsFiles) => ServerTls | undefined;
}

interface TlsFiles {
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

function withFiles(rejectUnauthorized: boolean, files: TlsFiles): ServerTls {
  return {
    rejectUnauthorized,
    ...(files.ca === undefined ? {} : { ca: files.ca }),
    ...(files.cert === undefined ? {} : { cert: files.cert }),
    ...(files.key === undefined ? {} : { key: files.key }),
  };
}

/** libpq's `sslmode` (and pg's `ssl=true`); a root certificate makes `require` verify, as in libpq. */
function postgresTls(params: URLSearchParams, files: TlsFiles): ServerTls | undefined {
  const mode = params.get("sslmode")?.toLowerCase();
  if (mode === "disable") return undefined;
  if (mode === "verify-full") return withFiles(true, files);
  if (mode === "verify-ca") return { ...withFiles(true, files), checkServerIdentity: () => undefined };
  const wanted = mode === "require" || mode === "prefer" || /^(true|1)$/i.test(params.get("ssl") ?? "");
  if (files.ca !== undefined) return withFiles(true, files);
  return wanted || files.cert !== undefined ? withFiles(false, files) : undefined;
}

/** Connector/J's `sslMode` (REQUIRED, VERIFY_CA, VERIFY_IDENTITY), `useSSL=true` or `ssl=true`. */
function mysqlTls(params: URLSearchParams, files: TlsFiles): ServerTls | undefined {
  const mode = (params.get("sslMode") ?? params.get("sslmode") ?? params.get("ssl-mode"))?.toUpperCase();
  if (mode === "DISABLED") return undefined;
  if (mode === "VERIFY_CA" || mode === "VERIFY_IDENTITY") return withFiles(true, files);
  if (files.ca !== undefined) return withFiles(true, files);
  const flag = (params.get("useSSL") ?? params.get("ssl"))?.toLowerCase() === "true";
  return mode === "REQUIRED" || mode === "REQUIRE" || flag ? withFiles(false, files) : undefined;
}

const FORMS: Readonly<Record<ServerKind, Form>> = {
  postgresql: {
    schemes: /^(jdbc:)?(postgres|postgresql):$/i,
    defaultPort: 5432,
    example: "//host:5432/database or postgres://user@host:5432/database",
    names: "a PostgreSQL URL",
    tls: postgresTls,
  },
  mysql: {
    schemes: /^(jdbc:)?(mysql|mariadb):$/i,
    defaultPort: 3306,
    example: "//host:3306/database or mysql://user@host:3306/database",
    names: "a MySQL or MariaDB URL",
    tls: mysqlTls,
  },
};

/** Parameters naming certificate files, and what each file is. */
const FILE_PARAMS = { sslrootcert: "CA certificate", sslcert: "client certificate", sslkey: "client key" };

function configError(property: string, problem: string, form: Form): ECacheConfig {
  return new ECacheConfig(`jobCache.properties.${property} ${problem}; it must look like ${form.example}`);
}

/** The scheme part before `//` (`jdbc:postgresql:`), or "" for TRAC's bare `//host/db`. */
function schemeOf(text: string, property: string, form: Form): string {
  const match = /^([a-z][a-z0-9+.-]*:)*(?=\/\/)/i.exec(text);
  if (match === null) throw configError(property, "is not a server URL", form);
  const scheme = match[0];
  if (scheme !== "" && !form.schemes.test(scheme)) {
    // the scheme is the user's text: quoted so every character shows
    throw configError(property, `must be ${form.names} (got scheme ${JSON.stringify(scheme)})`, form);
  }
  return scheme;
}

/** A certificate file the URL names cannot be read: say which one and why. */
function fileError(error: NodeJS.ErrnoException, params: URLSearchParams, property: string): ECacheConfig {
  const param = Object.keys(FILE_PARAMS).find((name) => params.get(name) === error.path) ?? "sslrootcert";
  const what = FILE_PARAMS[param as keyof typeof FILE_PARAMS];
  const reason = `${error.code}${error.code === "ENOENT" ? ": no such file" : ""}`;
  return new ECacheConfig(
    `jobCache.properties.${property}: cannot read the ${what} file ${JSON.stringify(error.path)} ` +
      `named by ${param} (${reason}). Check the path and its permissions.`,
    { cause: error },
  );
}

/** The URL's query parameters, read the way pg-connection-string reads them. */
function queryOf(text: string): URLSearchParams {
  const at = text.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : text.slice(at + 1).replace(/#.*$/, ""));
}

function redact(
  scheme: string,
  address: Omit<ServerAddress, "redacted" | "ssl">,
  params: URLSearchParams,
  portGiven: boolean,
): string {
  const query = new URLSearchParams(params);
  if (query.has("password")) query.set("password", REDACTED);
  const search = query.size === 0 ? "" : `?${query}`;
  const inUserPart = address.user !== undefined && !params.has("user");
  const secretInUserPart = address.password !== undefined && !params.has("password");
  const user = inUserPart ? encodeURIComponent(address.user as string) : "";
  const who = inUserPart || secretInUserPart ? `${user}${secretInUserPart ? `:${REDACTED}` : ""}@` : "";
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  const port = portGiven ? `:${address.port}` : "";
  return `${scheme}//${who}${host}${port}/${encodeURIComponent(address.database)}${search}`;
}

/**
 * Reads a server URL of `kind` from the property `property` (named in every error).
 * @throws ECacheConfig naming the property and the expected form, for a wrong scheme, a missing
 *   host or database, a malformed %-escape or an unreadable certificate file; never echoing a
 *   password
 * @example
 * readServerUrl("//db:5432/jobs?sslmode=verify-full", "jdbcUrl", "postgresql").ssl; // { rejectUnauthorized: true }
 */
export function readServerUrl(text: string, property: string, kind: ServerKind): ServerAddress {
  const form = FORMS[kind];
  const scheme = schemeOf(text, property, form);
  if (/%(?![0-9a-f]{2})/i.test(text)) {
    throw configError(property, "has a malformed %-escape (write a literal % as %25)", form);
  }
  const params = queryOf(text);
  if (params.get("sslmode")?.toLowerCase() === "verify-ca" && !params.has("sslrootcert")) {
    throw configError(property, "has sslmode=verify-ca without sslrootcert naming the CA file", form);
  }
  let parsed: ReturnType<typeof parse>;
  try {
    // the jdbc: part is ours to strip; TRAC's bare //host/db gets the form's own scheme
    const url = scheme === "" ? `${kind}:${text}` : text.replace(/^jdbc:/i, "");
    parsed = parse(url, { useLibpqCompat: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && (error as NodeJS.ErrnoException).path !== undefined) {
      throw fileError(error as NodeJS.ErrnoException, params, property);
    }
    if (error instanceof URIError) {
      throw configError(property, "has a %-escape that is not UTF-8 text", form);
    }
    // the parser's own message may quote the URL: never pass it on
    throw configError(property, "cannot be read as a URL", form);
  }
  const host = parsed.host ?? "";
  const database = parsed.database ?? "";
  if (host === "" || host === "___DUMMY___") throw configError(property, "must name a host", form);
  if (database === "" || database.includes("/")) {
    throw configError(property, "must name a database after the host", form);
  }
  const portGiven = typeof parsed.port === "string" && parsed.port !== "";
  const port = portGiven ? Number(parsed.port) : form.defaultPort;
  const ssl = typeof parsed.ssl === "object" ? parsed.ssl : {};
  const files: TlsFiles = { ca: ssl.ca, cert: ssl.cert ?? undefined, key: ssl.key };
  const address = {
    host,
    port,
    database,
    user: parsed.user === undefined || parsed.user === "" ? undefined : parsed.user,
    password: parsed.password === undefined || parsed.password === "" ? undefined : parsed.password,
  };
  return {
    ...address,
    ssl: form.tls(params, files),
    redacted: redact(scheme, address, params, portGiven),
  };
}

/**
 * The URL with its password hidden, from the same parse that connects; `undefined` when `text`
 * is no server URL of `kind` (then it is no concern of this reader).
 * @example
 * redactServerUrl("//app:s3cret@db/jobs", "postgresql"); // "//app:***@db/jobs"
 */
export function redactServerUrl(text: string, kind: ServerKind): string | undefined {
  try {
    return readServerUrl(text, "url", kind).redacted;
  } catch {
    return undefined;
  }
}
