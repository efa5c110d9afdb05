/**
 * The reference model of one shared job cache used by several processes: entries, the one lease
 * per key, every ticket handed out, the store's clock and each process's clock lag. Plain data
 * (cloned for each serial order a race is checked against); the rules live in ticket-rules.ts
 * and in each operation's file under ops/.
 * @module
 */

/** Fixed for a property: how many processes, which keys, which statuses. */
export interface ModelConfig {
  readonly processes: number;
  readonly keys: readonly string[];
  readonly statuses: readonly string[];
}

/** A value as the operations write it: who wrote it and a number. */
export interface EntryValue {
  readonly by: number;
  readonly n: number;
}

export interface ModelEntry {
  readonly revision: number;
  readonly status: string;
  readonly value: EntryValue;
  /** Creation order (queryStatus returns oldest first); a re-created entry is new. */
  readonly seq: number;
}

/** The store's lease on a key: which ticket holds it, until when (store time). */
export interface ModelLease {
  readonly ticket: number;
  expiry: number;
  released: boolean;
}

/** How the store answered a grant. */
export type GrantOutcome = "granted" | "superseded" | "missing";

/** A ticket as its process's cache tracks it. */
export interface ModelTicket {
  readonly id: number;
  readonly process: number;
  readonly key: string;
  /** Opened with openNewTicket: the only kind that may create. */
  readonly forCreate: boolean;
  readonly outcome: GrantOutcome;
  /** The process-clock time the ticket ends at (send time + duration, renewals move it). */
  deadline: number;
  /** The revision the holder last saw: what its next write is fenced on. */
  seen: number;
  closed: boolean;
}

export interface Model {
  readonly config: ModelConfig;
  /** Store time, ms since the run began. */
  now: number;
  /** How far each process's clock is behind the store's (paused processes). */
  lags: number[];
  entries: Map<string, ModelEntry>;
  leases: Map<string, ModelLease>;
  tickets: ModelTicket[];
  seq: number;
  nextTicket: number;
}

export function initialModel(config: ModelConfig): Model {
  return {
    config,
    now: 0,
    lags: Array.from({ length: config.processes }, () => 0),
    entries: new Map(),
    leases: new Map(),
    tickets: [],
    seq: 0,
    nextTicket: 1,
  };
}

/** A deep copy, for trying one serial order of a race. */
export function cloneModel(model: Model): Model {
  return { ...structuredClone({ ...model, config: undefined }), config: model.config };
}

/** Replaces `target`'s state with `source`'s (fast-check keeps the model object across commands). */
export function assignModel(target: Model, source: Model): void {
  Object.assign(target, source);
}

/** Process `p`'s local clock, in model time. */
export function clientNow(model: Model, p: number): number {
  return model.now - (model.lags[p] ?? 0);
}

/** The ticket holding `key` live by the store's clock, if any. */
export function liveLease(model: Model, key: string): ModelLease | undefined {
  const lease = model.leases.get(key);
  return lease !== undefined && !lease.released && model.now < lease.expiry ? lease : undefined;
}

export function ticketById(model: Model, id: number): ModelTicket {
  const ticket = model.tickets.find((t) => t.id === id);
  if (ticket === undefined) throw new Error(`model has no ticket #${id}`);
  return ticket;
}

/** Tickets of process `p`, oldest first. */
export function ticketsOf(model: Model, p: number): ModelTicket[] {
  return model.tickets.filter((t) => t.process === p);
}

/** Tickets of every process but `p`, oldest first. */
export function ticketsNotOf(model: Model, p: number): ModelTicket[] {
  return model.tickets.filter((t) => t.process !== p);
}

/**
 * Picks among `tickets` by `choice`: mostly one its process still believes live (granted, not
 * closed, before its local deadline: the interesting races and the fencing cases are there),
 * otherwise one of the most recent few, whatever its state.
 */
export function pickTicket(
  model: Model,
  tickets: readonly ModelTicket[],
  choice: number,
): ModelTicket | undefined {
  const held = tickets.filter(
    (t) => t.outcome === "granted" && !t.closed && clientNow(model, t.process) < t.deadline,
  );
  const pool = choice % 3 !== 0 && held.length > 0 ? held : tickets.slice(-4);
  if (pool.length === 0) return undefined;
  return pool[pool.length - 1 - (Math.floor(choice / 3) % pool.length)];
}

/** What the ticket's `superseded` flag says now: superseded at grant, or past its local deadline. */
export function looksSuperseded(model: Model, ticket: ModelTicket): boolean {
  if (ticket.outcome === "superseded") return true;
  return ticket.outcome === "granted" && clientNow(model, ticket.process) >= ticket.deadline;
}
