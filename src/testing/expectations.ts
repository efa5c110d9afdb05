import { expect } from "vitest";
import type { CacheTicket, JobCache } from "../index.js";

/**
 * Lease length of most cases: one minute, so that a target on a real clock never crosses an
 * expiry by accident while a case runs; cases cross it on purpose with `advanceTime`.
 */
export const DURATION_MS = 60_000;

/** A class of error, abstract or not. */
export type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error `promise` rejects with; fails the case if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.unreachable("expected the operation to reject, but it resolved");
}

/** Expects `promise` to reject with an instance of `type`, and returns that error. */
export async function expectReject<E>(
  promise: Promise<unknown>,
  type: ErrorClass<E>,
  what?: string,
): Promise<E> {
  const error = await rejectionOf(promise);
  expect(error, what).toBeInstanceOf(type);
  return error as E;
}

/** True for a ticket that holds its key: neither superseded nor missing. */
export function isGranted(ticket: CacheTicket): boolean {
  return !ticket.superseded && !ticket.missing;
}

/** Expects a ticket to hold its key. */
export function expectGranted(ticket: CacheTicket): void {
  expect({ superseded: ticket.superseded, missing: ticket.missing }).toEqual({
    superseded: false,
    missing: false,
  });
}

/** Expects a ticket refused because something else holds or moved past it. */
export function expectSuperseded(ticket: CacheTicket): void {
  expect({ superseded: ticket.superseded, missing: ticket.missing }).toEqual({
    superseded: true,
    missing: false,
  });
}

/** Expects a ticket refused because its entry or revision does not exist. */
export function expectMissing(ticket: CacheTicket): void {
  expect({ superseded: ticket.superseded, missing: ticket.missing }).toEqual({
    superseded: false,
    missing: true,
  });
}

/** Expects the entry of `key` to be at `revision` with `status` (or absent when `undefined`). */
export async function expectStored<T>(
  cache: JobCache<T>,
  key: string,
  expected: { revision: number; status: string; value?: T } | undefined,
): Promise<void> {
  const entry = await cache.queryKey(key);
  if (expected === undefined) {
    expect(entry).toBeUndefined();
    return;
  }
  expect(entry).toBeDefined();
  expect({ revision: entry?.revision, status: entry?.status }).toEqual({
    revision: expected.revision,
    status: expected.status,
  });
  if ("value" in expected) expect(entry?.value).toEqual(expected.value);
}

/** Expects the key to be free now: a fresh opener at `revision` (or a new ticket) is granted, then closed. */
export async function expectKeyFree<T>(cache: JobCache<T>, key: string, revision?: number): Promise<void> {
  const probe =
    revision === undefined
      ? await cache.openNewTicket(key, DURATION_MS)
      : await cache.openTicket(key, revision, DURATION_MS);
  expectGranted(probe);
  await cache.closeTicket(probe);
}

/** Expects the key to be held now: a fresh opener at `revision` (or a new ticket) is superseded. */
export async function expectKeyHeld<T>(cache: JobCache<T>, key: string, revision?: number): Promise<void> {
  const probe =
    revision === undefined
      ? await cache.openNewTicket(key, DURATION_MS)
      : await cache.openTicket(key, revision, DURATION_MS);
  expectSuperseded(probe);
}
