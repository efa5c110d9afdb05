import { setMaxListeners } from "node:events";
import type { Clock } from "../base/clock.js";
import { EInvalidArgument } from "../base/errors.js";
import type { JobCache, JobCacheManager, ValueCodec } from "../base/types.js";
import { validateCacheName } from "../base/validate.js";
import { defaultCodec } from "../codec/value-codec.js";
import type { JobStore } from "../store/store.js";
import { type CacheContext, JobCacheView, managerClosed } from "./job-cache.js";
import type { CacheScope } from "./ticket-grant.js";

/** The cache name a store call is about: its first argument, or that argument's `cacheName`. */
function cacheNameOf(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === "string") return first;
  const name = (first as { cacheName?: unknown } | null | undefined)?.cacheName;
  return typeof name === "string" ? name : undefined;
}

/**
 * The store as the caches see it: every call settles at once with `ECacheUnavailable` when the
 * manager closes, whatever the store is still waiting for (a pool connection, a lock, a retry
 * backoff). The call itself may still finish inside the store; its result is dropped, as after a
 * lost connection. A Proxy, so store methods added later are covered without listing them.
 */
function settlingOnClose(store: JobStore, closed: AbortSignal): JobStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver);
      if (typeof member !== "function" || property === "close") return member;
      return (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const onClose = () => reject(managerClosed(cacheNameOf(args)));
          if (closed.aborted) return onClose();
          closed.addEventListener("abort", onClose, { once: true });
          Promise.resolve(Reflect.apply(member, target, args))
            .then(resolve, reject)
            .finally(() => closed.removeEventListener("abort", onClose));
        });
    },
  });
}

/** Owns one store; hands out one cache (scope) per name, and codec views onto it. */
export class StoreJobCacheManager implements JobCacheManager {
  readonly #context: CacheContext;
  readonly #scopes = new Map<string, CacheScope>();
  readonly #defaultViews = new Map<string, JobCache<unknown>>();
  readonly #closed = new AbortController();
  #closing: Promise<void> | undefined;

  /** @param limits the largest encoded value a write may carry (UTF-8 bytes), and the holder id of its leases */
  constructor(
    readonly store: JobStore,
    clock: Clock,
    limits: { readonly maxValueBytes: number; readonly instanceId: string },
  ) {
    // One listener per call in flight: hundreds are normal, not a leak.
    setMaxListeners(0, this.#closed.signal);
    this.#context = {
      store: settlingOnClose(store, this.#closed.signal),
      clock,
      maxValueBytes: limits.maxValueBytes,
      instanceId: limits.instanceId,
      isClosed: () => this.#closing !== undefined,
    };
  }

  getCache<T>(cacheName: string, options?: { codec?: ValueCodec<T> }): JobCache<T> {
    const name = validateCacheName(cacheName);
    const codec = options?.codec;
    if (codec !== undefined && (typeof codec.encode !== "function" || typeof codec.decode !== "function")) {
      throw new EInvalidArgument("codec", "codec must have encode() and decode() functions");
    }
    let scope = this.#scopes.get(name);
    if (scope === undefined) {
      scope = Object.freeze({ cacheName: name });
      this.#scopes.set(name, scope);
    }
    if (codec !== undefined) return new JobCacheView<T>(this.#context, scope, codec);
    let view = this.#defaultViews.get(name);
    if (view === undefined) {
      view = new JobCacheView<unknown>(this.#context, scope, defaultCodec);
      this.#defaultViews.set(name, view);
    }
    return view as JobCache<T>;
  }

  /** Settles every call in flight with ECacheUnavailable at once, then closes the store. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed.abort();
      this.#closing = this.store.close();
    }
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
