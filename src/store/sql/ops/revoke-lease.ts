/**
 * Revoke (operator control, `jobcache revoke`): ends the live lease of one key at once, whoever
 * holds it, as a release by its holder would (state `released`, expiry now). The holder's next
 * renewal, write or read matches no live row and fails with ECacheTicket; its heartbeat then
 * aborts the work. One compare-and-set UPDATE judged by the database clock; nothing live: no change.
 * @module
 */
import type { KeyRef } from "../../store.js";
import type { SqlContext } from "./sql-context.js";

/** Ends the live lease of `ref`; whether there was one. */
export async function revokeLease(ctx: SqlContext, ref: KeyRef): Promise<boolean> {
  const now = ctx.adapter.now();
  const result = await ctx.db
    .updateTable("jobcache_lease")
    .set({ state: "released", expiry: now })
    .where("cache_name", "=", ref.cacheName)
    .where("entry_key", "=", ref.key)
    .where("state", "<>", "released")
    .where("expiry", ">", now)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
