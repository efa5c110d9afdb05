/**
 * The scenarios' part of a benchmark run: one row per figure, each a ratio (or a rate where the
 * target is one) beside the target the issue sets for it.
 * @module
 */

/** The scenarios a run can pick (`--scenarios`); `calls` is the per-store call suite. */
export const SCENARIO_NAMES = [
  "calls",
  "lifecycle",
  "drain",
  "contention",
  "scale",
  "main-job",
  "peers",
] as const;

/** One of {@link SCENARIO_NAMES}. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** One figure beside its target. */
export interface ScenarioFigure {
  /** e.g. "Job lifecycle, 8 worker processes". */
  readonly scenario: string;
  /** POSTGRESQL, MARIADB or SQLITE. */
  readonly server: string;
  /** The figure as shown, e.g. "1.62×" or "not available". */
  readonly figure: string;
  /** What the figure is a ratio against, e.g. "TRAC replay". */
  readonly against: string;
  /** e.g. "≥ 1.5×"; undefined when the issue sets none. */
  readonly target?: string | undefined;
  /** Whether this run met the target; undefined when there is none or no figure. */
  readonly met?: boolean | undefined;
  /** Absolute figures and spread, for context. */
  readonly detail: string;
}

/** The scenarios of one run. */
export interface ScenarioReport {
  readonly figures: readonly ScenarioFigure[];
  /** Servers skipped, scenarios that failed. */
  readonly notes: readonly string[];
  readonly durationMs: number;
}
