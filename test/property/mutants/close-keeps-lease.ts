/**
 * Mutant (e): closing a ticket does not release its lease, so the key stays held until the
 * lease expires (a release that matches no row).
 */
import type { LeaseRef } from "../../../src/store/store.js";
import { DelegatingStore } from "./delegating-store.js";

export class CloseKeepsLeaseStore extends DelegatingStore {
  override async release(_lease: LeaseRef): Promise<void> {}
}
