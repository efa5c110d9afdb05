/**
 * Who holds the key, as the ticket actors themselves report it: an actor enters when its grant
 * comes back, moves its expiry on each renewal and leaves when it closes the ticket. At every
 * entry, renewal, work start and commit, no OTHER actor may still hold a lease that has not
 * expired: two actors granted one key at the same time is the bug the store must rule out.
 * @module
 */
import type { Clock } from "../../../src/base/clock.js";

export class GrantLedger {
  readonly #expiry = new Map<number, number>();
  readonly violations: string[] = [];

  constructor(private readonly clock: Clock) {}

  /** Actors whose lease is live now. */
  holders(): number[] {
    const now = this.clock.now();
    return [...this.#expiry].filter(([, expiry]) => expiry > now).map(([actor]) => actor);
  }

  /** Checks that `actor` is the only live holder, at the moment named by `when`. */
  check(actor: number, when: string): void {
    const others = this.holders().filter((other) => other !== actor);
    if (others.length > 0) {
      this.violations.push(
        `at ${this.clock.now()}: actor ${actor} ${when} while actor(s) ${others.join(", ")} hold the key live`,
      );
    }
  }

  /** Checks that `actor` itself still holds a live lease, at the moment named by `when`. */
  checkHeld(actor: number, when: string): void {
    const expiry = this.#expiry.get(actor);
    if (expiry === undefined || expiry <= this.clock.now()) {
      this.violations.push(
        `at ${this.clock.now()}: actor ${actor} ${when} but its lease ${expiry === undefined ? "was never granted or is closed" : `expired at ${expiry}`}`,
      );
    }
  }

  granted(actor: number, expiry: number): void {
    this.check(actor, "was granted");
    this.#expiry.set(actor, expiry);
  }

  renewed(actor: number, expiry: number): void {
    if (!this.#expiry.has(actor)) return;
    this.check(actor, "renewed");
    this.#expiry.set(actor, expiry);
  }

  /** The actor closes its ticket: the key is free from now on. */
  released(actor: number): void {
    this.#expiry.delete(actor);
  }

  /** The expiry the actor's lease had at its last grant or renewal. */
  expiryOf(actor: number): number | undefined {
    return this.#expiry.get(actor);
  }
}
