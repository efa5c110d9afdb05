/**
 * Mutant (c): a renewal that revives an expired lease its ticket still names (a renewal that
 * checks the ticket id but not `expiry > now`).
 */
import type { RenewRequest } from "../../../src/store/store.js";
import { DelegatingStore } from "./delegating-store.js";

export class RenewRevivesExpiredStore extends DelegatingStore {
  override async renew(request: RenewRequest): Promise<{ readonly expiry: Date }> {
    const lease = await this.leaseOf(request);
    if (lease?.state === "expired" && lease.ticketId === request.ticketId) {
      // decide as just before the expiry, but extend from the real now
      const decidedAt = lease.expiry.getTime() - 1;
      const durationMs = request.durationMs + (this.clock.realNow() - decidedAt);
      return this.clock.at(decidedAt, () => this.inner.renew({ ...request, durationMs }));
    }
    return this.inner.renew(request);
  }
}
