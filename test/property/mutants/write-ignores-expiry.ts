/**
 * Mutant (b): writes fenced by ticket id and revision but not by expiry. A holder whose lease ran
 * out while nobody took the key still commits (a WHERE clause without `expiry > now`).
 */
import type { PutRequest, WriteRequest } from "../../../src/store/store.js";
import { DelegatingStore } from "./delegating-store.js";

export class WriteIgnoresExpiryStore extends DelegatingStore {
  override async create(request: PutRequest): Promise<number> {
    return this.#unfenced(request, () => this.inner.create(request));
  }

  override async update(request: PutRequest): Promise<number> {
    return this.#unfenced(request, () => this.inner.update(request));
  }

  override async delete(request: WriteRequest): Promise<void> {
    return this.#unfenced(request, () => this.inner.delete(request));
  }

  async #unfenced<T>(request: WriteRequest, write: () => Promise<T>): Promise<T> {
    const lease = await this.leaseOf(request);
    if (lease?.state === "expired" && lease.ticketId === request.ticketId) {
      return this.clock.at(lease.expiry.getTime() - 1, write);
    }
    return write();
  }
}
