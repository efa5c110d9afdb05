/** A JobStore that forwards every call to a LocalStore: the base of the mutants, which override one. */
import type { Clock } from "../../../src/base/clock.js";
import { LocalStore } from "../../../src/store/local/local-store.js";
import type {
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
import { RewindableClock } from "./rewindable-clock.js";

export class DelegatingStore implements JobStore {
  protected readonly clock: RewindableClock;
  protected readonly inner: LocalStore;

  constructor(clock: Clock) {
    this.clock = new RewindableClock(clock);
    this.inner = new LocalStore(this.clock);
  }

  grant(request: GrantRequest): Promise<GrantResult> {
    return this.inner.grant(request);
  }
  renew(request: RenewRequest): Promise<{ readonly expiry: Date }> {
    return this.inner.renew(request);
  }
  release(lease: LeaseRef): Promise<void> {
    return this.inner.release(lease);
  }
  create(request: PutRequest): Promise<number> {
    return this.inner.create(request);
  }
  update(request: PutRequest): Promise<number> {
    return this.inner.update(request);
  }
  delete(request: WriteRequest): Promise<void> {
    return this.inner.delete(request);
  }
  read(lease: LeaseRef): Promise<StoredEntry | undefined> {
    return this.inner.read(lease);
  }
  queryKey(ref: KeyRef): Promise<StoredEntry | undefined> {
    return this.inner.queryKey(ref);
  }
  queryStatus(cacheName: string, statuses: readonly string[], query: StatusQuery): Promise<StoredEntry[]> {
    return this.inner.queryStatus(cacheName, statuses, query);
  }
  listLeases(cacheName?: string): Promise<LeaseInfo[]> {
    return this.inner.listLeases(cacheName);
  }
  countEntries(cacheName?: string): Promise<EntryCount[]> {
    return this.inner.countEntries(cacheName);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  /** The lease row of `ref`'s key, whoever holds it. */
  protected async leaseOf(ref: KeyRef): Promise<LeaseInfo | undefined> {
    return (await this.inner.listLeases(ref.cacheName)).find((lease) => lease.key === ref.key);
  }
}
