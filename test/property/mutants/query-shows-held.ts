/**
 * Mutant (d): queryStatus lists entries whose key a live ticket holds, as if every caller had
 * asked for `includeOpenTickets` (a status query without the lease join).
 */
import type { StatusQuery, StoredEntry } from "../../../src/store/store.js";
import { DelegatingStore } from "./delegating-store.js";

export class QueryShowsHeldStore extends DelegatingStore {
  override queryStatus(
    cacheName: string,
    statuses: readonly string[],
    query: StatusQuery,
  ): Promise<StoredEntry[]> {
    return this.inner.queryStatus(cacheName, statuses, { ...query, includeOpenTickets: true });
  }
}
