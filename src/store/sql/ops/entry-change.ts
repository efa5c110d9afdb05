/**
 * The entry side of a fenced write. Each change is one statement whose fence (the live lease
 * row) comes from the strategy: a locked CTE row in the one-statement form, or the lease table
 * itself in the transaction form. The revision condition is part of the change.
 * @module
 */
import type { RawBuilder } from "kysely";
import type { WriteRequest } from "../../store.js";
import type { WriteKind } from "./write-failure.js";

/** A row source and condition that yield one row exactly when the ticket holds the key live. */
export interface Fence {
  /** A FROM item, e.g. `holder` or `jobcache_lease l`. */
  readonly from: RawBuilder<unknown>;
  /** The condition on it, e.g. `true` or the live-holder test. */
  readonly where: RawBuilder<boolean>;
}

/** One entry change: create, update or delete. */
export interface EntryChange<R extends WriteRequest = WriteRequest> {
  readonly kind: WriteKind;
  /** The entry's revision after the change (0 after a delete): recorded on the lease row. */
  newRevision(request: R): number;
  /** The INSERT / UPDATE / DELETE of the entry, changing one row only when the fence holds. */
  statement(request: R, fence: Fence): RawBuilder<unknown>;
}
