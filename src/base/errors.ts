/**
 * Every error the cache throws. Facts are readonly fields so callers branch on data, not on
 * message text; driver errors ride along as `cause`. Messages never include secrets.
 * @module
 */

/** Facts an error may carry about where it happened. */
export interface CacheErrorFacts {
  readonly cacheName?: string | undefined;
  readonly key?: string | undefined;
  readonly revision?: number | undefined;
  readonly cause?: unknown;
}

/** Base of the cache's own errors. */
export class ECache extends Error {
  readonly cacheName: string | undefined;
  readonly key: string | undefined;
  readonly revision: number | undefined;

  constructor(message: string, facts: CacheErrorFacts = {}) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = new.target.name;
    this.cacheName = facts.cacheName;
    this.key = facts.key;
    this.revision = facts.revision;
  }
}

/** The ticket is missing, superseded, expired, closed, unknown or forged. */
export class ECacheTicket extends ECache {}

/** The ticket is valid, but the entry is not there (any more). */
export class ECacheNotFound extends ECache {}

/** `createEntry` when the entry already exists. */
export class ECacheDuplicate extends ECache {}

/** Invalid or reserved status. */
export class ECacheOperation extends ECache {}

/** A stored value cannot be decoded, or fails the codec's schema. */
export class ECacheCorruption extends ECache {}

/** The store cannot be reached after retries. */
export class ECacheUnavailable extends ECache {}

/** The configuration is wrong: unknown protocol or dialect, missing property, bad file, no schema. */
export class ECacheConfig extends ECache {}

/** Wrong type, null/undefined, or out-of-range argument. Changes nothing. */
export class EInvalidArgument extends TypeError {
  /** The name of the argument that was rejected. */
  readonly argument: string;

  constructor(argument: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EInvalidArgument";
    this.argument = argument;
  }
}

/** Where an error happened, for messages: `key "job-1" in cache "jobs"`. */
export function describeLocation(cacheName: string | undefined, key?: string): string {
  const where = cacheName === undefined ? "" : ` in cache "${cacheName}"`;
  return key === undefined ? where.trimStart() : `key "${key}"${where}`;
}
