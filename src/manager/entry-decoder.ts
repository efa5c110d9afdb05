import { describeLocation, ECacheCorruption } from "../base/errors.js";
import type { ValueCodec } from "../base/types.js";
import type { StoredEntry } from "../store/store.js";
import { DecodedEntry } from "./cache-entry.js";

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
