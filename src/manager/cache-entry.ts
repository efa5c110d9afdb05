import { describeLocation, ECacheCorruption } from "../base/errors.js";
import type { CacheEntry, ValueCodec } from "../base/types.js";
import type { StoredEntry } from "../store/store.js";

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

/** Decodes a stored entry; a value that cannot be decoded becomes the entry's `cacheError`. */
export async function decodeEntry<T>(
  cacheName: string,
  stored: StoredEntry,
  codec: ValueCodec<T>,
): Promise<DecodedEntry<T>> {
  try {
    const value = await codec.decode(stored.value);
    return new DecodedEntry<T>(stored, { ok: true, value });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new ECacheCorruption(
      `Value of ${describeLocation(cacheName, stored.key)} at revision ${stored.revision} cannot be decoded: ${reason}`,
      { cacheName, key: stored.key, revision: stored.revision, cause },
    );
    return new DecodedEntry<T>(stored, { ok: false, error });
  }
}
