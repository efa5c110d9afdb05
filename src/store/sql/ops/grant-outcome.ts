/**
 * Results of a grant, and why a refused grant was refused, decided by the same pure rule the
 * LOCAL store uses (`decideGrant`), on what the database saw.
 * @module
 */
import { decideGrant, type GrantOutcome } from "../../../base/lease-rules.js";
import type { GrantRequest, GrantResult } from "../../store.js";
import { type MicrosColumn, microsToDate, type StoredLeaseState, toMicros } from "../schema.js";

/** The lease row and entry revision a refused grant saw, with the database time. */
export interface RefusalProbe {
  readonly now: MicrosColumn;
  readonly ticket_id: string | null;
  readonly state: StoredLeaseState | null;
  readonly expiry: MicrosColumn | null;
  readonly entry_revision: number | null;
}

/** A granted lease with its database times. */
export function granted(grantTime: MicrosColumn, expiry: MicrosColumn): GrantResult {
  return { outcome: "granted", grantTime: microsToDate(grantTime), expiry: microsToDate(expiry) };
}

/** The lease rules' outcome for what the probe saw (`decideGrant` of src/base/lease-rules.ts). */
export function decide(request: GrantRequest, probe: RefusalProbe): GrantOutcome {
  const lease =
    probe.ticket_id === null || probe.expiry === null
      ? undefined
      : { ticketId: probe.ticket_id, released: probe.state === "released", expiry: toMicros(probe.expiry) };
  const entry = probe.entry_revision === null ? undefined : Number(probe.entry_revision);
  return decideGrant(lease, request.revision, entry, toMicros(probe.now));
}

/**
 * Superseded or missing, with both times set to the database's now. The rule can only say
 * "granted" here after a race the statement lost (a concurrent grant or write changed the row
 * after the probe's snapshot); someone else then holds or changed the key: superseded.
 */
export function refused(request: GrantRequest, probe: RefusalProbe): GrantResult {
  const at = microsToDate(probe.now);
  const outcome = decide(request, probe) === "missing" ? "missing" : "superseded";
  return { outcome, grantTime: at, expiry: at };
}
