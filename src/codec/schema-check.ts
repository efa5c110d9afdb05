/**
 * Checking a decoded value against a Standard Schema (zod, valibot, arktype, ...). A failure
 * means the stored value no longer matches what the code expects: typically one written by an
 * older version of the code, so it is reported as corruption of that entry, not thrown as a bug.
 * @module
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { ECacheCorruption } from "../base/errors.js";
import { propertyPath } from "./value-path.js";

/** Issues listed in a message; the rest are counted (all are in the error's `cause`). */
const MAX_LISTED_ISSUES = 10;

function issuePath(issue: StandardSchemaV1.Issue): string {
  let path = "value";
  for (const segment of issue.path ?? []) {
    path = propertyPath(path, typeof segment === "object" ? segment.key : segment);
  }
  return path;
}

/** `value.a: Expected number; value.b[0]: Required` */
function formatIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `${issuePath(issue)}: ${issue.message}`);
  const more = issues.length - listed.length;
  return listed.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

function outcome<T>(result: StandardSchemaV1.Result<T>): T {
  if (result.issues) {
    throw new ECacheCorruption(
      `the stored value fails the codec's schema (written by an older version of the code?): ` +
        formatIssues(result.issues),
      { cause: result.issues },
    );
  }
  return result.value;
}

function schemaThrew(error: unknown): ECacheCorruption {
  return new ECacheCorruption(`the codec's schema threw while checking the stored value: ${String(error)}`, {
    cause: error,
  });
}

/**
 * The schema's output for `value`, synchronously when the schema answers synchronously.
 * @throws ECacheCorruption listing the issues (paths and messages), with the issues as `cause`
 */
export function checkSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): T | Promise<T> {
  let result: StandardSchemaV1.Result<T> | Promise<StandardSchemaV1.Result<T>>;
  try {
    result = schema["~standard"].validate(value);
  } catch (error) {
    throw schemaThrew(error);
  }
  if (result instanceof Promise) {
    return result.then(outcome, (error: unknown) => {
      throw schemaThrew(error);
    });
  }
  return outcome(result);
}
