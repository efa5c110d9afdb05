/**
 * The grant operation: picks the dialect's strategy (see dialect-adapter.ts). Every strategy
 * states the same rule: granted when no live lease holds the key and the entry condition holds;
 * a retry with the same ticket id returns the original grant.
 * @module
 */
import type { GrantRequest, GrantResult } from "../../store.js";
import { grantByUpsert } from "./grant-by-upsert.js";
import { grantInTransaction } from "./grant-in-transaction.js";
import { grantInOneStatement } from "./grant-one-statement.js";
import type { SqlContext } from "./sql-context.js";

/** Grants a lease or says why not (superseded / missing), with database times. */
export function grantTicket(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  switch (ctx.adapter.grantStrategy) {
    case "one-statement":
      return grantInOneStatement(ctx, request);
    case "upsert":
      return grantByUpsert(ctx, request);
    default:
      return grantInTransaction(ctx, request);
  }
}
