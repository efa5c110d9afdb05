/**
 * A test-only database clock that can be moved forward: wraps a dialect adapter so its `now()`
 * is the database's own time plus an offset read when each statement is built. The store's SQL
 * is unchanged; only the value of "now" in it moves, as if the database clock had advanced.
 */
import { type RawBuilder, sql } from "kysely";
import type { DialectAdapter } from "../../src/store/sql/dialects/dialect-adapter.js";

/** A movable offset shared by every store that uses it. */
export class DatabaseClockOffset {
  micros = 0;

  advance(ms: number): void {
    this.micros += Math.round(ms * 1000);
  }

  /** `adapter` with `now()` shifted by this offset. */
  wrap(adapter: DialectAdapter): DialectAdapter {
    const shifted = Object.create(adapter) as DialectAdapter;
    Object.defineProperty(shifted, "now", {
      value: (): RawBuilder<number> => sql<number>`(${adapter.now()} + ${adapter.bigint(this.micros)})`,
    });
    return shifted;
  }
}
