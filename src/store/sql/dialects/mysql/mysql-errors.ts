/**
 * MySQL and MariaDB (mysql2 driver) errors as {@link SqlErrorKind}s. Server errors are matched by
 * their number (`errno`), because mysql2 names numbers from MySQL's list only and leaves
 * MariaDB's own (1927, 1969) unnamed; client and socket errors by their `code`. Numbers from
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html and
 * https://mariadb.com/kb/en/mariadb-error-code-reference/
 * @module
 */
import { errorCode, errorMessage, type SqlErrorKind } from "../sql-error-kind.js";

/** A unique or primary key was violated. */
const DUPLICATE = new Set([
  1062, // ER_DUP_ENTRY
  1022, // ER_DUP_KEY
  1586, // ER_DUP_ENTRY_WITH_KEY_NAME
]);

/** Running the operation again may succeed: the transaction lost a lock race or ran too long. */
const CONFLICT = new Set([
  1213, // ER_LOCK_DEADLOCK (the whole transaction was rolled back)
  1205, // ER_LOCK_WAIT_TIMEOUT (innodb_lock_wait_timeout)
  1020, // ER_CHECKREAD: record changed since last read (MariaDB innodb_snapshot_isolation)
  1467, // ER_AUTOINC_READ_FAILED: INSERT ... SELECT lost a race for the table's AUTO-INC lock
  3572, // ER_LOCK_NOWAIT (MySQL)
  3024, // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  1317, // ER_QUERY_INTERRUPTED (KILL QUERY)
]);

/** The server went away, is shutting down, is full, or (after a failover) became read-only. */
const CONNECTION_ERRNO = new Set([
  1053, // ER_SERVER_SHUTDOWN
  1040, // ER_CON_COUNT_ERROR (too many connections)
  1203, // ER_TOO_MANY_USER_CONNECTIONS
  1927, // ER_CONNECTION_KILLED (MariaDB)
  1152, // ER_ABORTING_CONNECTION
  1156, // ER_NET_PACKETS_OUT_OF_ORDER
  1158, // ER_NET_READ_ERROR
  1159, // ER_NET_READ_INTERRUPTED
  1160, // ER_NET_ERROR_ON_WRITE
  1161, // ER_NET_WRITE_INTERRUPTED
  1290, // ER_OPTION_PREVENTS_STATEMENT (--read-only, e.g. Aurora during failover)
  1792, // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
  1836, // ER_READ_ONLY_MODE
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL closed an idle connection)
]);

/** Client-side codes (mysql2 and Node sockets) of a lost or unreachable server. */
const CONNECTION_CODE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_PACKETS_OUT_OF_ORDER",
]);

/** No retry fixes these: wrong user, password, database, host or grants. */
const CONFIG_ERRNO = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1045, // ER_ACCESS_DENIED_ERROR
  1049, // ER_BAD_DB_ERROR (no such database)
  1130, // ER_HOST_NOT_PRIVILEGED
  1142, // ER_TABLEACCESS_DENIED_ERROR
  1143, // ER_COLUMNACCESS_DENIED_ERROR
  1227, // ER_SPECIFIC_ACCESS_DENIED_ERROR
  1251, // ER_NOT_SUPPORTED_AUTH_MODE
  1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1820, // ER_MUST_CHANGE_PASSWORD
]);

const CONFIG_CODE = new Set(["ENOTFOUND", "HANDSHAKE_NO_SSL_SUPPORT", "HANDSHAKE_SSL_ERROR"]);

const NO_SUCH_TABLE = 1146; // ER_NO_SUCH_TABLE

/**
 * mysql2's errors when a command meets a connection that already died (they carry no code): the
 * usual case is the ROLLBACK Kysely sends after a query failed because the server went away.
 */
const CLOSED_MESSAGE = /closed state|Connection lost|connection is closed|server closed the connection/i;

/**
 * A server error's number. Node's socket errors carry negative `errno`s and mysql2's protocol
 * errors none, so only a positive number is the server's.
 */
function serverErrno(error: unknown): number | undefined {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "number" && errno > 0 ? errno : undefined;
}

/** Maps a mysql2 error to what the store should do about it. */
export function classifyMysqlError(error: unknown): SqlErrorKind {
  const errno = serverErrno(error);
  if (errno !== undefined) {
    if (DUPLICATE.has(errno)) return "duplicate";
    if (errno === NO_SUCH_TABLE) return "missing-schema";
    if (CONFLICT.has(errno)) return "conflict";
    if (CONNECTION_ERRNO.has(errno)) return "connection";
    if (CONFIG_ERRNO.has(errno)) return "config";
    return "unknown";
  }
  const code = errorCode(error);
  if (code !== undefined && CONNECTION_CODE.has(code)) return "connection";
  if (code !== undefined && CONFIG_CODE.has(code)) return "config";
  if (CLOSED_MESSAGE.test(errorMessage(error))) return "connection";
  return "unknown";
}
