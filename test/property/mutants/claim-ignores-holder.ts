/**
 * Mutant (f): a claim that ignores live holders. It claims the oldest entries of the statuses
 * whether or not a live ticket holds them, taking the keys over (what a claim without the "no
 * live lease" condition, or without SKIP LOCKED's safety net in the upsert, would do).
 */
import type { ClaimedLease, ClaimRequest } from "../../../src/store/store.js";
import { DelegatingStore } from "./delegating-store.js";

export class ClaimIgnoresHolderStore extends DelegatingStore {
  async claim(request: ClaimRequest): Promise<ClaimedLease[]> {
    const { cacheName } = request;
    const query = { includeOpenTickets: true, limit: request.limit };
    const entries = await this.inner.queryStatus(cacheName, request.statuses, query);
    const claimed: ClaimedLease[] = [];
    for (const [n, entry] of entries.entries()) {
      const lease = await this.leaseOf({ cacheName, key: entry.key });
      if (lease !== undefined)
        await this.inner.release({ cacheName, key: entry.key, ticketId: lease.ticketId });
      const ticketId = request.ticketIds[n]!;
      const ask = {
        cacheName,
        key: entry.key,
        revision: entry.revision,
        durationMs: request.durationMs,
        ticketId,
      };
      const result = await this.inner.grant(ask);
      if (result.outcome === "granted")
        claimed.push({ entry, ticketId, grantTime: result.grantTime, expiry: result.expiry });
    }
    return claimed;
  }
}
