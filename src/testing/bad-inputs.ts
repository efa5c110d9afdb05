import { MAX_TICKET_DURATION_MS } from "../index.js";

/** A long run of one character, for length limits. */
const run = (length: number, char = "a"): string => char.repeat(length);

/** Keys and cache names CONTRACT.md's validation table rejects, each for a different reason. */
export const BAD_KEYS: readonly unknown[] = [
  42,
  null,
  undefined,
  {},
  ["job-1"],
  "",
  run(257),
  "a b",
  "x'; drop table y; --",
  "job.1",
  "jöb",
  "job\n",
  "_x",
  "trac_x",
  "TRAC-x",
  "tracdap-x",
  "TracDap_x",
  "tracdap.x",
  "-x",
  ".x",
];

/** Keys at the edges of the rules that must be accepted. */
export const GOOD_EDGE_KEYS: readonly string[] = [
  run(256),
  "a",
  "7",
  "trac",
  "tracx",
  "TRACdap",
  "tracdapx",
  "x_trac_y",
  "a-b_C9",
];

/**
 * The largest revision a ticket may name: the SQL schema's 32-bit integer. Every store answers
 * the same above it (EInvalidArgument), where PostgreSQL would otherwise fail in the database.
 */
export const MAX_REVISION = 2 ** 31 - 1;

/** Most statuses one queryStatus call may list. */
export const MAX_STATUSES = 1000;

/** Revisions that are not integers from 0 to {@link MAX_REVISION}. */
export const BAD_REVISIONS: readonly unknown[] = [
  -1,
  MAX_REVISION + 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  2 ** 53,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "1",
  null,
  undefined,
];

/** Durations that are not finite numbers > 0. */
export const BAD_DURATIONS: readonly unknown[] = [
  0,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  "10",
  null,
  undefined,
];

/** Valid numbers, but longer than a ticket may be. */
export const TOO_LONG_DURATIONS: readonly number[] = [
  MAX_TICKET_DURATION_MS + 1,
  10 * MAX_TICKET_DURATION_MS,
];

/** Statuses that are strings but break the status rule (`ECacheOperation`). */
export const BAD_STATUSES: readonly string[] = [
  "",
  run(257, "A"),
  "1ABC",
  "A-B",
  "A B",
  "A.B",
  "DONE;",
  "_X",
  "trac_X",
  "TRAC_DONE",
  "tracdap_X",
];

/** Statuses at the edges of the rule that must be accepted. */
export const GOOD_EDGE_STATUSES: readonly string[] = [
  "A",
  run(256, "S"),
  "a1_",
  "TRAC",
  "TRACX",
  "tracdap",
  "x_trac_",
];

/** Limits that are not integers from 0 to 2^31 - 1. */
export const BAD_LIMITS: readonly unknown[] = [-1, 1.5, Number.NaN, "2", 2 ** 31, Number.MAX_SAFE_INTEGER];
