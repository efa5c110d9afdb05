/**
 * What an orchestrator tells its operator: typed events with the key, revision, instance id and
 * durations. Background failures (a poll that failed, a lease lost, a step that threw) arrive
 * here as events, never as stray throws.
 * @module
 */
import type { ExpiredReason } from "../machines/ticket-events.js";

interface JobEventBase {
  readonly key: string;
  /** The entry revision the step was granted at (its fencing token). */
  readonly revision: number;
  readonly instanceId: string;
}

/** Every event, by its `type`. */
export interface OrchestratorEvents {
  /** A ticket was granted for a step. `waitMs`: from asking to the grant. */
  granted: JobEventBase & { readonly type: "granted"; readonly status: string; readonly waitMs: number };
  /**
   * The ticket was refused: another instance holds the job or has moved it past `revision`
   * (contention between instances; nothing ran). `waitMs`: from asking to the refusal.
   */
  superseded: JobEventBase & { readonly type: "superseded"; readonly waitMs: number };
  /** A heartbeat renewed the ticket. `heldMs`: since the grant. */
  renewed: JobEventBase & { readonly type: "renewed"; readonly renewals: number; readonly heldMs: number };
  /** A renewal came back with under a third of the lease left (a slow store, a paused process). */
  renewalLate: JobEventBase & {
    readonly type: "renewalLate";
    readonly leftMs: number;
    readonly heldMs: number;
  };
  /** The lease ended before the commit: the work was aborted and nothing was committed. */
  leaseLost: JobEventBase & {
    readonly type: "leaseLost";
    readonly reason: ExpiredReason;
    readonly heldMs: number;
    readonly error?: unknown;
  };
  /** A step's write committed. `newRevision` is 0 when the step deleted the entry. */
  committed: JobEventBase & {
    readonly type: "committed";
    readonly fromStatus: string;
    /** The status written, or `null` for a delete. */
    readonly status: string | null;
    readonly newRevision: number;
    /** From asking for the ticket to the commit. */
    readonly stepMs: number;
  };
  /**
   * This instance took over a job another instance was seen holding at the same revision, which
   * ended without a write: its holder died, lost its lease, or its step wrote nothing.
   */
  failover: JobEventBase & { readonly type: "failover"; readonly waitedMs: number };
  /** A step ended without a commit for another reason than a lost lease (the executor threw, ...). */
  stepFailed: JobEventBase & { readonly type: "stepFailed"; readonly error: unknown };
  /** Polling the cache failed; the orchestrator backs off and carries on. */
  pollFailed: {
    readonly type: "pollFailed";
    readonly instanceId: string;
    readonly error: unknown;
    readonly failures: number;
    readonly backoffMs: number;
  };
}

/** Any orchestrator event. */
export type OrchestratorEvent = OrchestratorEvents[keyof OrchestratorEvents];

type Listener = (event: OrchestratorEvent) => void;

/** Listeners by event type; a listener's throw never reaches the orchestrator. */
export class EventHub {
  readonly #listeners = new Map<string, Set<Listener>>();

  on<K extends keyof OrchestratorEvents | "*">(
    type: K,
    listener: (event: K extends keyof OrchestratorEvents ? OrchestratorEvents[K] : OrchestratorEvent) => void,
  ): () => void {
    const set = this.#listeners.get(type) ?? new Set<Listener>();
    this.#listeners.set(type, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  emit(event: OrchestratorEvent): void {
    for (const type of [event.type, "*"]) {
      for (const listener of this.#listeners.get(type) ?? []) {
        try {
          listener(event);
        } catch {
          // an operator's listener must not change what the orchestrator does
        }
      }
    }
  }
}
