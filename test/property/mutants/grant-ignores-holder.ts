/**
 * Mutant (a): a grant that ignores a live holder. It takes the key over as if the holder's
 * lease had ended (what a grant without the "live holder" condition in its WHERE clause does).
 */
import type { GrantRequest, GrantResult } from "../../../src/store/store.js";
import { DelegatingStore } from "./delegating-store.js";

export class GrantIgnoresHolderStore extends DelegatingStore {
  override async grant(request: GrantRequest): Promise<GrantResult> {
    const lease = await this.leaseOf(request);
    const held = lease !== undefined && (lease.state === "granted" || lease.state === "committed");
    if (held && lease.ticketId !== request.ticketId) {
      await this.inner.release({ cacheName: request.cacheName, key: request.key, ticketId: lease.ticketId });
    }
    return this.inner.grant(request);
  }
}
