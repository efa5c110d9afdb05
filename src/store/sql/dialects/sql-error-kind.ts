/**
 * What a driver error means to the store, whatever the dialect. Each dialect's `<d>-errors.ts`
 * maps its driver's codes onto these kinds; the store decides retries and `ECache*` classes from
 * the kind alone.
 * @module
 */

/**
 * - `duplicate`: a unique or primary key was violated.
 * - `conflict`: serialization failure, deadlock, lock wait timeout, SQLite busy: retry the operation.
 * - `connection`: the connection was refused, reset or terminated: retry, then `ECacheUnavailable`.
 * - `missing-schema`: a jobcache table does not exist: the schema was never deployed.
 * - `config`: authentication failed, unknown database, missing privilege, unopenable file.
 * - `unknown`: anything else; never retried.
 */
export type SqlErrorKind = "duplicate" | "conflict" | "connection" | "missing-schema" | "config" | "unknown";

/** The `code` property of a driver error, if it has a string one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The message of an error, or its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
