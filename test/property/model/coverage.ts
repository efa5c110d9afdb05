/**
 * What the runs of a property actually exercised, so a test can fail when a budget or a change
 * of weights leaves the interesting cases (a refused grant, a write fenced by the store's clock)
 * untried: a passing property over nothing proves nothing.
 * @module
 */
import type { Outcome } from "./outcome.js";

/** Counts of outcome kinds, e.g. `updateEntry ok [each successful write ...]`. */
export class Coverage {
  readonly counts = new Map<string, number>();

  /** Records one matched outcome of an operation labelled `label` (`p0.updateEntry(...) on #1`). */
  record(label: string, outcome: Outcome, rule: string): void {
    const kind = /^p\d+\.(\w+)/.exec(label)?.[1] ?? label;
    const what = "ok" in outcome ? (typeof outcome.ok === "string" ? outcome.ok : "ok") : outcome.error;
    const general = rule.replace(/#\d+/g, "#n").replace(/job-\w+/g, "key");
    this.add(`${kind} ${what} [${general}]`);
  }

  add(event: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
  }

  /** How many recorded events match `pattern`. */
  count(pattern: RegExp): number {
    let total = 0;
    for (const [event, n] of this.counts) if (pattern.test(event)) total += n;
    return total;
  }

  /** The patterns no event matched. */
  missing(patterns: readonly RegExp[]): RegExp[] {
    return patterns.filter((pattern) => this.count(pattern) === 0);
  }

  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([event, n]) => `${String(n).padStart(6)}  ${event}`)
      .join("\n");
  }
}

/** What every multi-process test must have seen at least once over its runs. */
export const REQUIRED_COVERAGE: readonly RegExp[] = [
  /^open\w* granted /,
  /^open\w* superseded \[exclusive/,
  /^updateEntry ok /,
  /^createEntry ok /,
  /^renewTicket renewed /,
  /ECacheTicket \[.*expired by the store's clock/,
  /ECacheTicket \[.*expired by its process's clock/,
  /^race /,
];
