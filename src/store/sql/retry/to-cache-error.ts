/**
 * Turns whatever an operation threw into one of the cache's own errors, with a message that says
 * what to do and never a password.
 * @module
 */

import { describeLocation, ECache, ECacheConfig, ECacheUnavailable } from "../../../base/errors.js";
import { redactUrlCredentials } from "../../../base/redaction.js";
import type { DialectAdapter } from "../dialects/dialect-adapter.js";
import { errorMessage } from "../dialects/sql-error-kind.js";
import { RetryableConflict } from "./retryable-conflict.js";

/** The command that deploys or upgrades the schema (named in every "no schema" error). */
export const DEPLOY_COMMAND = "jobcache db deploy --config FILE";

/** Where the failure happened and how to describe the database. */
export interface FailureScope {
  readonly adapter: DialectAdapter;
  /** The database, without secrets: `postgresql://app@db:5432/jobs (schema public)`. */
  readonly target: string;
  readonly operation: string;
  readonly cacheName?: string | undefined;
  readonly key?: string | undefined;
}

/** An `ECache*` for `error`; `ECache` errors pass through unchanged. */
export function toCacheError(error: unknown, scope: FailureScope): ECache {
  if (error instanceof ECache) return error;
  const { cacheName, key } = scope;
  const where = describeLocation(cacheName, key);
  // "grant of key "k" in cache "c"", but "queryStatus in cache "c"" (no key: no "of")
  const during =
    where === "" ? scope.operation : `${scope.operation} ${key === undefined ? "" : "of "}${where}`;
  // Secrets stay out at the source: the target is built from the parsed URL without its password,
  // and drivers are given the password as a field, never inside a URL. A URL a driver might still
  // quote is hidden by its structure; no secret text is searched for (a password "x" would
  // otherwise garble every "x" of the message).
  const reason = redactUrlCredentials(errorMessage(error));
  const facts = { cacheName, key, cause: error };
  if (error instanceof RetryableConflict) {
    return new ECacheUnavailable(
      `${during} kept losing races in ${scope.target}; try again (${reason})`,
      facts,
    );
  }
  switch (scope.adapter.classifyError(error)) {
    case "connection":
      return new ECacheUnavailable(
        `Cannot reach the job cache database ${scope.target} during ${during}: ${reason}`,
        facts,
      );
    case "conflict":
      return new ECacheUnavailable(
        `The job cache database ${scope.target} stayed busy or locked during ${during}: ${reason}`,
        facts,
      );
    case "missing-schema":
      return new ECacheConfig(
        `The job cache tables are missing in ${scope.target} (${reason}): deploy the schema with \`${DEPLOY_COMMAND}\``,
        facts,
      );
    case "config":
      return new ECacheConfig(`The job cache database ${scope.target} refused ${during}: ${reason}`, facts);
    default:
      return new ECache(`SQL error during ${during} in ${scope.target}: ${reason}`, facts);
  }
}
