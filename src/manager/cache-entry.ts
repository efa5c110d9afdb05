import type { ECacheCorruption } from "../base/errors.js";
import type { CacheEntry } from "../base/types.js";

/** A decoded entry; a value that failed to decode is kept as its error, thrown on access. */
export class DecodedEntry<T> implements CacheEntry<T> {
  readonly key: string;
  readonly revision: number;
  readonly status: string;
  readonly cacheOk: boolean;
  readonly cacheError?: ECacheCorruption;
  readonly #value: T | undefined;

  constructor(
    fields: { key: string; revision: number; status: string },
    decoded: { ok: true; value: T } | { ok: false; error: ECacheCorruption },
  ) {
    this.key = fields.key;
    this.revision = fields.revision;
    this.status = fields.status;
    this.cacheOk = decoded.ok;
    if (decoded.ok) {
      this.#value = decoded.value;
    } else {
      this.cacheError = decoded.error;
    }
  }

  get value(): T {
    if (this.cacheError !== undefined) throw this.cacheError;
    return this.#value as T;
  }

  toJSON(): Record<string, unknown> {
    const { key, revision, status, cacheOk } = this;
    return cacheOk
      ? { key, revision, status, cacheOk, value: this.#value }
      : { key, revision, status, cacheOk, cacheError: this.cacheError?.message };
  }
}
