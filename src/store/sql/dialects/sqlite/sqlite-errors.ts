/**
 * SQLite (better-sqlite3) errors as {@link SqlErrorKind}s. Codes are SQLite's extended result
 * codes as better-sqlite3 names them (`SQLITE_BUSY_SNAPSHOT`...): https://sqlite.org/rescode.html
 * @module
 */
import { errorCode, errorMessage, type SqlErrorKind } from "../sql-error-kind.js";

/**
 * Another connection (or process) holds the lock past the busy timeout, or a snapshot went
 * stale: running the operation again is safe and usually succeeds.
 */
function isConflict(code: string): boolean {
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

/** Maps a better-sqlite3 error to what the store should do about it. */
export function classifySqliteError(error: unknown): SqlErrorKind {
  const code = errorCode(error);
  if (code === undefined || !code.startsWith("SQLITE_")) return "unknown";
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return "duplicate";
  if (isConflict(code)) return "conflict";
  if (code === "SQLITE_ERROR" && /no such table: jobcache_/i.test(errorMessage(error)))
    return "missing-schema";
  // The file cannot be opened, written, or is not a database: a wrong path or permissions.
  if (/^SQLITE_(CANTOPEN|READONLY|NOTADB|PERM|AUTH)/.test(code)) return "config";
  // I/O errors, a full disk: the database is there but unusable for now.
  if (/^SQLITE_(IOERR|FULL|PROTOCOL)/.test(code)) return "connection";
  return "unknown";
}
