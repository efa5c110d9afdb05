/**
 * The mutants, by the bug each carries, as store factories for the LOCAL race target: (a)-(c)
 * break exclusivity and fencing, (d) and (e) the query and release rules, (f) the claim rule.
 */
import type { LocalStoreFactory } from "../support/local-race-target.js";
import { ClaimIgnoresHolderStore } from "./claim-ignores-holder.js";
import { CloseKeepsLeaseStore } from "./close-keeps-lease.js";
import { GrantIgnoresHolderStore } from "./grant-ignores-holder.js";
import { QueryShowsHeldStore } from "./query-shows-held.js";
import { RenewRevivesExpiredStore } from "./renew-revives-expired.js";
import { WriteIgnoresExpiryStore } from "./write-ignores-expiry.js";

export interface Mutant {
  readonly name: string;
  readonly bug: string;
  readonly makeStore: LocalStoreFactory;
}

export const MUTANTS: readonly Mutant[] = [
  {
    name: "grant-ignores-holder",
    bug: "(a) a grant ignores a live holder",
    makeStore: (clock) => new GrantIgnoresHolderStore(clock),
  },
  {
    name: "write-ignores-expiry",
    bug: "(b) writes are not fenced by expiry",
    makeStore: (clock) => new WriteIgnoresExpiryStore(clock),
  },
  {
    name: "renew-revives-expired",
    bug: "(c) a renewal revives an expired ticket",
    makeStore: (clock) => new RenewRevivesExpiredStore(clock),
  },
  {
    name: "query-shows-held",
    bug: "(d) queryStatus lists keys held by live tickets",
    makeStore: (clock) => new QueryShowsHeldStore(clock),
  },
  {
    name: "close-keeps-lease",
    bug: "(e) closing a ticket does not release the key",
    makeStore: (clock) => new CloseKeepsLeaseStore(clock),
  },
  {
    name: "claim-ignores-holder",
    bug: "(f) a claim takes keys that live tickets hold",
    makeStore: (clock) => new ClaimIgnoresHolderStore(clock),
  },
];
