import type { CacheTicket, JobCache } from "../index.js";
import { DURATION_MS, expectGranted } from "./expectations.js";
import type { JobValue } from "./suite-context.js";

/** Creates `key` and updates it until it is at `revision`, then closes the ticket. */
export async function seedEntry<T = JobValue>(
  cache: JobCache<T>,
  key: string,
  options: { revision?: number; status?: string; value?: T } = {},
): Promise<void> {
  const { revision = 1, status = "QUEUED" } = options;
  const value = options.value ?? ({ step: 1 } as T);
  const ticket = await cache.openNewTicket(key, DURATION_MS);
  expectGranted(ticket);
  await cache.createEntry(ticket, status, value);
  for (let at = 1; at < revision; at += 1) await cache.updateEntry(ticket, status, value);
  await cache.closeTicket(ticket);
}

/** A granted new ticket that has created `key` at revision 1 and still holds it. */
export async function heldNewEntry<T = JobValue>(
  cache: JobCache<T>,
  key: string,
  status = "QUEUED",
  value: T = { step: 1 } as T,
): Promise<CacheTicket> {
  const ticket = await cache.openNewTicket(key, DURATION_MS);
  expectGranted(ticket);
  await cache.createEntry(ticket, status, value);
  return ticket;
}

/** A granted regular ticket on `key`, seeded first at `revision`. */
export async function heldEntry<T = JobValue>(
  cache: JobCache<T>,
  key: string,
  revision = 1,
): Promise<CacheTicket> {
  await seedEntry(cache, key, { revision });
  const ticket = await cache.openTicket(key, revision, DURATION_MS);
  expectGranted(ticket);
  return ticket;
}

/** A plain object with the same fields as `ticket`: a ticket the cache never granted. */
export function forgeTicket(ticket: CacheTicket): CacheTicket {
  return {
    key: ticket.key,
    revision: ticket.revision,
    grantTime: new Date(ticket.grantTime),
    expiry: new Date(ticket.expiry),
    superseded: false,
    missing: false,
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
}

/** Every ticket operation of `cache` applied to `ticket`, named, for "each operation rejects" cases. */
export function ticketOperations(
  cache: JobCache<JobValue>,
  ticket: CacheTicket,
): ReadonlyArray<readonly [string, () => Promise<unknown>]> {
  return [
    ["renewTicket", () => cache.renewTicket(ticket, DURATION_MS)],
    ["createEntry", () => cache.createEntry(ticket, "QUEUED", { step: 9 })],
    ["updateEntry", () => cache.updateEntry(ticket, "QUEUED", { step: 9 })],
    ["readEntry", () => cache.readEntry(ticket)],
    ["deleteEntry", () => cache.deleteEntry(ticket)],
  ];
}
