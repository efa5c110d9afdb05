import type { Clock } from "../base/clock.js";
import { EInvalidArgument } from "../base/errors.js";
import type { JobCache, JobCacheManager, ValueCodec } from "../base/types.js";
import { validateCacheName } from "../base/validate.js";
import { defaultCodec } from "../codec/value-codec.js";
import type { JobStore } from "../store/store.js";
import { type CacheContext, JobCacheView } from "./job-cache.js";
import type { CacheScope } from "./ticket-grant.js";

/** Owns one store; hands out one cache (scope) per name, and codec views onto it. */
export class StoreJobCacheManager implements JobCacheManager {
  readonly #context: CacheContext;
  readonly #scopes = new Map<string, CacheScope>();
  readonly #defaultViews = new Map<string, JobCache<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(
    readonly store: JobStore,
    clock: Clock,
    instanceId: string,
  ) {
    this.#context = { store, clock, instanceId, isClosed: () => this.#closing !== undefined };
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

  close(): Promise<void> {
    this.#closing ??= this.store.close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
