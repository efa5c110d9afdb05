/**
 * What the live view shows, read from the store the way `jobcache inspect` reads it: leases
 * (`listLeases`) and entry counts (`countEntries`), plus one job (`queryKey`) and the entries
 * of one status (`queryStatus`) on demand. Every read is a plain query; the view changes nothing.
 * @module
 */
import { ECacheConfig } from "../../base/errors.js";
import type { EntryCount, JobStore, LeaseInfo, StoredEntry } from "../../store/store.js";
import { type MachineViews, machineViews } from "./state-diagrams.js";

/**
 * A lease as the page shows it. `holder` and `renewals` are read when the store reports them
 * (stores that record the holder's instance id do); older stores leave them out.
 */
interface LeaseRow {
  readonly cacheName: string;
  readonly key: string;
  readonly ticketId: string;
  readonly holder?: string;
  readonly renewals?: number;
  readonly revision: number;
  readonly state: LeaseInfo["state"];
  readonly grantTime: string;
  readonly heartbeatTime: string;
  readonly expiry: string;
  /** By the store's clock at the time of the read; negative once expired. */
  readonly expiresInMs: number;
}

/** The parts of the page that change; each is pushed on its own when it changes. */
export interface UiSections {
  /** Leases not released (granted, committed, or expired and not yet taken over), at most {@link MAX_LEASE_ROWS}. */
  readonly leases: { readonly rows: readonly LeaseRow[]; readonly total: number };
  readonly entries: readonly EntryCount[];
  readonly machines: MachineViews;
}

/** One job as the page shows it. */
export interface JobView {
  readonly cacheName: string;
  readonly key: string;
  readonly entry: { readonly revision: number; readonly status: string; readonly value: unknown } | undefined;
  readonly lease: LeaseRow | undefined;
}

/** Rows sent to the page: a browser table of thousands of live leases helps no one. */
const MAX_LEASE_ROWS = 500;

/** The stored value as JSON: the value node of the codec's format, else the parsed text, else the text. */
function valueAsJson(stored: string): unknown {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (parsed !== null && typeof parsed === "object" && "jobcache" in parsed && "value" in parsed) {
      return parsed.value;
    }
    return parsed;
  } catch {
    return stored;
  }
}

function leaseRow(lease: LeaseInfo): LeaseRow {
  // holder and renewals are newer, optional fields of LeaseInfo: read them only when present
  const extra = lease as LeaseInfo & { readonly holder?: unknown; readonly renewals?: unknown };
  return {
    cacheName: lease.cacheName,
    key: lease.key,
    ticketId: lease.ticketId,
    ...(typeof extra.holder === "string" ? { holder: extra.holder } : {}),
    ...(typeof extra.renewals === "number" ? { renewals: extra.renewals } : {}),
    revision: lease.revision,
    state: lease.state,
    grantTime: lease.grantTime.toISOString(),
    heartbeatTime: lease.heartbeatTime.toISOString(),
    expiry: lease.expiry.toISOString(),
    expiresInMs: Math.round(lease.expiresInMs),
  };
}

/** The store's inspection methods, or a clear error for a store without them. */
export function inspectable(
  store: JobStore,
  source: string,
): Required<Pick<JobStore, "listLeases" | "countEntries">> {
  const { listLeases, countEntries } = store;
  if (listLeases === undefined || countEntries === undefined) {
    throw new ECacheConfig(`${source}: this store cannot be inspected (no listLeases/countEntries)`);
  }
  return { listLeases: listLeases.bind(store), countEntries: countEntries.bind(store) };
}

/** Reads every section: two queries. */
export async function readSections(store: JobStore, source: string, cacheName?: string): Promise<UiSections> {
  const { listLeases, countEntries } = inspectable(store, source);
  const [leases, entries] = await Promise.all([listLeases(cacheName), countEntries(cacheName)]);
  const open = leases.filter((lease) => lease.state !== "released");
  return {
    leases: { rows: open.slice(0, MAX_LEASE_ROWS).map(leaseRow), total: open.length },
    entries,
    machines: machineViews(leases, entries),
  };
}

/** One job: its entry (value as JSON) and its lease row, if any. */
export async function readJob(
  store: JobStore,
  source: string,
  cacheName: string,
  key: string,
): Promise<JobView> {
  const { listLeases } = inspectable(store, source);
  const [entry, leases] = await Promise.all([store.queryKey({ cacheName, key }), listLeases(cacheName)]);
  const lease = leases.find((row) => row.key === key);
  return {
    cacheName,
    key,
    entry:
      entry === undefined
        ? undefined
        : { revision: entry.revision, status: entry.status, value: valueAsJson(entry.value) },
    lease: lease === undefined ? undefined : leaseRow(lease),
  };
}

/** Entries of one status, oldest first, including those a ticket holds right now. */
export async function readEntries(
  store: JobStore,
  cacheName: string,
  status: string,
  limit: number,
): Promise<{ key: string; revision: number; status: string }[]> {
  const entries: StoredEntry[] = await store.queryStatus(cacheName, [status], {
    includeOpenTickets: true,
    limit,
  });
  return entries.map((entry) => ({ key: entry.key, revision: entry.revision, status: entry.status }));
}
