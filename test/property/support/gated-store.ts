/**
 * A JobStore that passes every call through a gate before it reaches the store: the property
 * tests hand the gate to fast-check's scheduler, which decides in which order the calls of
 * racing processes start (and, for an in-process store, in which order they happen).
 * @module
 */
import { ECacheUnavailable } from "../../../src/base/errors.js";
import type {
  ClaimedLease,
  ClaimRequest,
  EntryCount,
  GrantRequest,
  GrantResult,
  JobStore,
  KeyRef,
  LeaseInfo,
  LeaseRef,
  PutRequest,
  RenewRequest,
  StatusQuery,
  StoredEntry,
  WriteRequest,
} from "../../../src/store/store.js";

/** Resolves when the call named `label` may start. */
export type Gate = (label: string) => Promise<void>;

/** The gate of a run without a scheduler: every call starts at once. */
export const openGate: Gate = async () => {};

/** Options of {@link GatedStore}. */
export interface GatedStoreOptions {
  /** The current gate, read at each call (a run's scheduler replaces the previous run's). */
  readonly gate: () => Gate;
  /** Whether closing this handle closes the store too (false when several handles share it). */
  readonly closeInner: boolean;
  /** Prefixed to gate labels, e.g. the process name. */
  readonly label?: string;
}

/** One process's handle on a store, every call gated. */
export class GatedStore implements JobStore {
  #closed = false;
  /** The inner store's claim, gated; absent when the inner store has none (the JobCache's fallback). */
  readonly claim?: (request: ClaimRequest) => Promise<ClaimedLease[]>;

  constructor(
    private readonly inner: JobStore,
    private readonly options: GatedStoreOptions,
  ) {
    const claim = inner.claim?.bind(inner);
    if (claim !== undefined) {
      this.claim = (request) => this.#call(`claim ${request.statuses.join(",")}`, () => claim(request));
    }
  }

  get writeCloses(): boolean | undefined {
    return this.inner.writeCloses;
  }

  grant(request: GrantRequest): Promise<GrantResult> {
    return this.#call(`grant ${request.key}`, () => this.inner.grant(request));
  }

  renew(request: RenewRequest): Promise<{ readonly expiry: Date }> {
    return this.#call(`renew ${request.key}`, () => this.inner.renew(request));
  }

  release(lease: LeaseRef): Promise<void> {
    return this.#call(`release ${lease.key}`, () => this.inner.release(lease));
  }

  create(request: PutRequest): Promise<number> {
    return this.#call(`create ${request.key}`, () => this.inner.create(request));
  }

  update(request: PutRequest): Promise<number> {
    return this.#call(`update ${request.key}`, () => this.inner.update(request));
  }

  delete(request: WriteRequest): Promise<void> {
    return this.#call(`delete ${request.key}`, () => this.inner.delete(request));
  }

  read(lease: LeaseRef): Promise<StoredEntry | undefined> {
    return this.#call(`read ${lease.key}`, () => this.inner.read(lease));
  }

  queryKey(ref: KeyRef): Promise<StoredEntry | undefined> {
    return this.#call(`queryKey ${ref.key}`, () => this.inner.queryKey(ref));
  }

  queryStatus(cacheName: string, statuses: readonly string[], query: StatusQuery): Promise<StoredEntry[]> {
    return this.#call("queryStatus", () => this.inner.queryStatus(cacheName, statuses, query));
  }

  listLeases(cacheName?: string): Promise<LeaseInfo[]> {
    return this.#call("listLeases", async () => (await this.inner.listLeases?.(cacheName)) ?? []);
  }

  countEntries(cacheName?: string): Promise<EntryCount[]> {
    return this.#call("countEntries", async () => (await this.inner.countEntries?.(cacheName)) ?? []);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.options.closeInner) await this.inner.close();
  }

  async #call<T>(label: string, call: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    await this.options.gate()(this.options.label === undefined ? label : `${this.options.label} ${label}`);
    this.#checkOpen();
    return call();
  }

  #checkOpen(): void {
    if (this.#closed) throw new ECacheUnavailable("this process's store handle is closed");
  }
}
