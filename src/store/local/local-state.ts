import type { LeaseRecord } from "../../base/lease-rules.js";

/**
 * One entry held in memory. Entries of a cache sit in a Map, whose iteration order is insertion
 * order: a delete and a create put the key last, so iterating gives creation order.
 */
export interface LocalEntry {
  revision: number;
  status: string;
  value: string;
}

/** One lease held in memory (times in epoch ms of the store's clock). */
export interface LocalLease extends LeaseRecord {
  ticketId: string;
  revision: number;
  state: "granted" | "committed" | "released";
  released: boolean;
  grantTime: number;
  heartbeatTime: number;
  expiry: number;
  lastRequestId?: string;
  lastResult?: number;
  /** The holder's instance id. */
  holder?: string | undefined;
  renewals: number;
}

/** Everything one LOCAL store knows, per cache name. */
export class LocalState {
  readonly entries = new Map<string, Map<string, LocalEntry>>();
  readonly leases = new Map<string, Map<string, LocalLease>>();
  entriesOf(cacheName: string): Map<string, LocalEntry> {
    let entries = this.entries.get(cacheName);
    if (entries === undefined) {
      entries = new Map();
      this.entries.set(cacheName, entries);
    }
    return entries;
  }

  leasesOf(cacheName: string): Map<string, LocalLease> {
    let leases = this.leases.get(cacheName);
    if (leases === undefined) {
      leases = new Map();
      this.leases.set(cacheName, leases);
    }
    return leases;
  }
}
