/**
 * PostgreSQL (pg driver) errors as {@link SqlErrorKind}s. SQLSTATE codes from
 * https://www.postgresql.org/docs/current/errcodes-appendix.html; socket errors from Node.
 * @module
 */
import { errorCode, errorMessage, type SqlErrorKind } from "../sql-error-kind.js";

/** SQLSTATEs after which the same operation may succeed when run again. */
const CONFLICT = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available (lock_timeout)
  "57014", // query_canceled (statement_timeout)
]);

/** SQLSTATEs and socket codes that mean the server went away or is restarting. */
const CONNECTION = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, recovering)
  "53300", // too_many_connections
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** SQLSTATEs that no retry fixes: the configuration or the grants are wrong. */
const CONFIG = new Set([
  "28000", // invalid_authorization_specification
  "28P01", // invalid_password
  "3D000", // invalid_catalog_name (no such database)
  "3F000", // invalid_schema_name
  "42501", // insufficient_privilege
  "ENOTFOUND",
]);

/** Messages of pg's own errors when the socket closes under it (they carry no code). */
const CONNECTION_MESSAGE =
  /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|timeout exceeded when trying to connect/i;

/** Maps a pg error to what the store should do about it. */
export function classifyPostgresError(error: unknown): SqlErrorKind {
  const code = errorCode(error);
  if (code === "23505") return "duplicate";
  if (code === "42P01") return "missing-schema"; // undefined_table
  if (code !== undefined && CONFLICT.has(code)) return "conflict";
  if (code !== undefined && (CONNECTION.has(code) || code.startsWith("08"))) return "connection";
  if (code !== undefined && CONFIG.has(code)) return "config";
  if (CONNECTION_MESSAGE.test(errorMessage(error))) return "connection";
  return "unknown";
}
