/**
 * Checks after every command that the store and the model agree on what every process could
 * observe: at most one live lease per key and the same holder, queryKey and queryStatus, and
 * each ticket object's own flags.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { liveLease, looksSuperseded, type Model } from "./model.js";
import { cacheOf, type RaceRun } from "./op.js";
import { expectedEntry } from "./ops/query-key.js";
import { expectedStatusQuery } from "./ops/query-status.js";
import { RULES } from "./outcome.js";

function fail(rule: string, message: string): never {
  throw new Error(`[${rule}] ${message}`);
}

function modelIdOf(run: RaceRun, storeId: string | undefined): string {
  if (storeId === undefined) return "none";
  const found = [...run.storeIds].find(([, id]) => id === storeId);
  return found === undefined ? `unknown lease ${storeId}` : `#${found[0]}`;
}

async function checkHolders(model: Model, run: RaceRun): Promise<void> {
  const live = (await run.system.listLeases()).filter(
    (l) => l.state === "granted" || l.state === "committed",
  );
  for (const key of model.config.keys) {
    const holders = live.filter((lease) => lease.key === key);
    if (holders.length > 1) fail(RULES.exclusive, `the store has ${holders.length} live leases on ${key}`);
    const expected = liveLease(model, key);
    const expectedId = expected === undefined ? undefined : run.storeIds.get(expected.ticket);
    const actualId = holders[0]?.ticketId;
    if (expectedId !== actualId) {
      fail(
        RULES.exclusive,
        `live holder of ${key}: model says ${expected === undefined ? "none" : `#${expected.ticket}`}, ` +
          `store says ${modelIdOf(run, actualId)}`,
      );
    }
  }
}

async function checkQueries(model: Model, run: RaceRun): Promise<void> {
  const cache = cacheOf(run, 0);
  for (const key of model.config.keys) {
    const entry = await cache.queryKey(key);
    const actual =
      entry === undefined ? null : { revision: entry.revision, status: entry.status, value: entry.value };
    const expected = expectedEntry(model, key);
    if (!isDeepStrictEqual(actual, expected)) {
      fail(
        RULES.lastWrite,
        `queryKey(${key}) = ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      );
    }
  }
  const ask = { statuses: model.config.statuses, includeOpenTickets: false, limit: undefined };
  const listed = (await cache.queryStatus(ask.statuses)).map((e) => ({
    key: e.key,
    revision: e.revision,
    status: e.status,
  }));
  const expected = expectedStatusQuery(model, ask);
  if (!isDeepStrictEqual(listed, expected)) {
    fail(RULES.hidden, `queryStatus(all) = ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`);
  }
}

function checkTicketFlags(model: Model, run: RaceRun): void {
  for (const ticket of model.tickets) {
    const real = run.tickets.get(ticket.id);
    if (real === undefined) continue;
    const superseded = looksSuperseded(model, ticket);
    const missing = ticket.outcome === "missing";
    if (real.superseded !== superseded || real.missing !== missing) {
      fail(
        RULES.fenced,
        `ticket #${ticket.id} shows superseded=${real.superseded} missing=${real.missing}, ` +
          `expected superseded=${superseded} missing=${missing}`,
      );
    }
  }
}

/** Every invariant; throws naming the rule that broke. */
export async function checkInvariants(model: Model, run: RaceRun): Promise<void> {
  await checkHolders(model, run);
  await checkQueries(model, run);
  checkTicketFlags(model, run);
}
