/**
 * The argument rules of CONTRACT.md, in one place for every store. Each check runs before anything
 * touches the store, so a rejected call changes nothing.
 * @module
 */
import { describeLocation, ECacheOperation, ECacheTicket, EInvalidArgument } from "./errors.js";

/**
 * The longest lease a ticket may ask for: 5 minutes, as TRAC. A longer lease would let a crashed
 * holder block a job for longer than an operator would wait before stepping in; use
 * `renewTicket` (heartbeats) for longer work.
 */
export const MAX_TICKET_DURATION_MS = 300_000;

/** Longest key, cache name and status accepted (characters). */
const MAX_NAME_LENGTH = 256;

/**
 * Largest revision accepted: the top of the SQL schema's 32-bit `integer` revision columns. A
 * larger number could never name a stored revision, and on PostgreSQL it would fail in the
 * database instead of here, so every store rejects it up front.
 */
const MAX_REVISION = 2 ** 31 - 1;

/** Largest queryStatus `limit` accepted: a 32-bit integer, which every SQL `LIMIT` takes. */
const MAX_LIMIT = 2 ** 31 - 1;

/**
 * Most statuses one queryStatus (or claimStatus) call may list. Each status is one SQL parameter:
 * SQLite allows 32,766 per statement, PostgreSQL and MySQL 65,535; a fixed, lower bound makes
 * the answer the same on every store, and no job lifecycle has anywhere near this many.
 */
const MAX_STATUSES = 1000;

const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const STATUS_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** TRAC reserves names starting `trac_`, `tracdap-`, ... and any leading `_`, `.` or `-`. */
const RESERVED_PATTERN = /^(trac(dap)?[_.-]|[_.-])/i;

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  return typeof value === "object" && value !== null ? Object.prototype.toString.call(value) : String(value);
}

function checkName(argument: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new EInvalidArgument(argument, `${argument} must be a string, got ${show(value)}`);
  }
  if (value.length === 0 || value.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(value)) {
    throw new EInvalidArgument(
      argument,
      `${argument} ${show(value)} is invalid: use 1-${MAX_NAME_LENGTH} characters of A-Z, a-z, 0-9, _ and -`,
    );
  }
  if (RESERVED_PATTERN.test(value)) {
    throw new EInvalidArgument(
      argument,
      `${argument} ${show(value)} is reserved: names may not start with _, -, ., trac_ or tracdap_`,
    );
  }
  return value;
}

/** A job key. */
export function validateKey(key: unknown): string {
  return checkName("key", key);
}

/** A cache name: same rule as keys. */
export function validateCacheName(cacheName: unknown): string {
  return checkName("cacheName", cacheName);
}

/** An entry revision: an integer from 0 to {@link MAX_REVISION}. */
export function validateRevision(revision: unknown): number {
  if (
    typeof revision !== "number" ||
    !Number.isSafeInteger(revision) ||
    revision < 0 ||
    revision > MAX_REVISION
  ) {
    throw new EInvalidArgument(
      "revision",
      `revision must be an integer from 0 to ${MAX_REVISION}, got ${show(revision)}`,
    );
  }
  return revision;
}

/** A ticket duration: finite and > 0 (EInvalidArgument), at most the maximum (ECacheTicket). */
export function validateDuration(durationMs: unknown, where: { cacheName: string; key?: string }): number {
  if (typeof durationMs !== "number" || !Number.isFinite(durationMs) || durationMs <= 0) {
    throw new EInvalidArgument(
      "durationMs",
      `durationMs must be a finite number > 0, got ${show(durationMs)}`,
    );
  }
  if (durationMs > MAX_TICKET_DURATION_MS) {
    throw new ECacheTicket(
      `Ticket duration ${durationMs} ms is over the maximum of ${MAX_TICKET_DURATION_MS} ms; ` +
        "ask for less and renew the ticket (renewTicket) while the work runs",
      where,
    );
  }
  return durationMs;
}

/** Rejects null and undefined arguments (ticket, status, value). */
export function validatePresent<T>(argument: string, value: T): NonNullable<T> {
  if (value === null || value === undefined) {
    throw new EInvalidArgument(argument, `${argument} is required, got ${String(value)}`);
  }
  return value as NonNullable<T>;
}

/** A status: 1..256 characters of `^[A-Za-z_][A-Za-z0-9_]*$`, not reserved (ECacheOperation). */
export function validateStatus(status: unknown, where: { cacheName: string; key?: string }): string {
  const at = ` (${describeLocation(where.cacheName, where.key)})`;
  if (typeof status !== "string" || status.length === 0 || status.length > MAX_NAME_LENGTH) {
    throw new ECacheOperation(
      `Invalid status ${show(status)}${at}: use 1-${MAX_NAME_LENGTH} characters`,
      where,
    );
  }
  if (!STATUS_PATTERN.test(status)) {
    throw new ECacheOperation(
      `Invalid status ${show(status)}${at}: use letters, digits and _, not starting with a digit`,
      where,
    );
  }
  if (RESERVED_PATTERN.test(status)) {
    throw new ECacheOperation(`Status ${show(status)}${at} is reserved for the cache's own use`, where);
  }
  return status;
}

/** The statuses list of queryStatus: an array of at most {@link MAX_STATUSES} valid statuses. */
export function validateStatuses(statuses: unknown, where: { cacheName: string }): string[] {
  if (!Array.isArray(statuses)) {
    throw new EInvalidArgument("statuses", `statuses must be an array of strings, got ${show(statuses)}`);
  }
  if (statuses.length > MAX_STATUSES) {
    throw new EInvalidArgument(
      "statuses",
      `statuses lists ${statuses.length} statuses, more than the ${MAX_STATUSES} one call accepts; ` +
        "query in batches, or give each group of jobs one status",
    );
  }
  return statuses.map((status) => validateStatus(validatePresent("status", status), where));
}

/**
 * The default `maxValueBytes`: 16 MiB of encoded value per write. Larger rows slow every query
 * that reads them, and a server caps one statement (MariaDB's `max_allowed_packet`).
 */
export const DEFAULT_MAX_VALUE_BYTES = 16 * 1024 * 1024;

/**
 * An encoded value no larger than `maxBytes` UTF-8 bytes, checked before it is sent anywhere.
 * @throws EInvalidArgument (argument `value`) naming both sizes
 */
export function validateValueSize(encoded: string, maxBytes: number): string {
  // Every UTF-16 unit is at least one UTF-8 byte: a string this long is too big without counting.
  const bytes = encoded.length > maxBytes ? encoded.length : Buffer.byteLength(encoded, "utf8");
  if (bytes > maxBytes) {
    throw new EInvalidArgument(
      "value",
      `value is ${encoded.length > maxBytes ? "at least " : ""}${bytes} bytes encoded, over the limit of ` +
        `${maxBytes} bytes (property maxValueBytes); store large data elsewhere and keep a reference in the entry`,
    );
  }
  return encoded;
}

/** The optional limit of queryStatus: an integer from 0 to {@link MAX_LIMIT}. */
export function validateLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new EInvalidArgument(
      "limit",
      `limit must be an integer from 0 to ${MAX_LIMIT}, got ${show(limit)}`,
    );
  }
  return limit;
}
