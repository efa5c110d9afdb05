/**
 * A source of the current time in epoch milliseconds. Injected everywhere time matters so tests
 * move time instead of sleeping; the SQL store never uses it for lease times (the database clock
 * decides those).
 */
export interface Clock {
  now(): number;
}

/** The process clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told: for tests and simulations. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by `ms` (never backward). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs ms >= 0, got ${ms}`);
    this.#now += ms;
  }
}

/** The system clock shifted by an adjustable offset: skewed clients and "move time" in SQL tests. */
export class OffsetClock implements Clock {
  offsetMs: number;

  constructor(
    offsetMs = 0,
    private readonly base: Clock = systemClock,
  ) {
    this.offsetMs = offsetMs;
  }

  now(): number {
    return this.base.now() + this.offsetMs;
  }
}
