/**
 * The "Against the targets" section of docs/benchmarks.md: every scenario figure and every
 * single call's ratio beside the target the issue sets for it.
 * @module
 */
import type { BenchReport, StoreReport } from "../bench-report.js";
import { READ_CALLS, WRITE_CALLS } from "../cache-operations.js";
import { times } from "../format-figures.js";
import type { ScenarioFigure } from "./scenario-report.js";

/** Index of the commit baseline of the SQL stores (the round trip is 0). */
const COMMIT = 1;

function verdict(met: boolean | undefined): string {
  if (met === undefined) return "";
  return met ? "met" : "**not met**";
}

function row(figure: ScenarioFigure): string {
  const target = figure.target ?? "–";
  return `| ${figure.scenario} | ${figure.server} | **${figure.figure}** | ${figure.against} | ${target} | ${verdict(figure.met)} | ${figure.detail} |`;
}

/**
 * Single calls of the database servers against their baselines: writes ≤ 1.5× a commit, reads ≤
 * 2× select 1. (SQLite's `select 1` never leaves the process: a few microseconds no read can
 * approach, so its calls are in its own table only.)
 */
export function callFigures(stores: readonly StoreReport[]): ScenarioFigure[] {
  const figures: ScenarioFigure[] = [];
  for (const store of stores) {
    if (store.status !== "measured" || store.store === "SQLITE" || store.baselines.length <= COMMIT) continue;
    const limits = [
      ...WRITE_CALLS.map((name) => ({
        name,
        base: COMMIT,
        limit: 1.5,
        against: "single-row UPDATE (commit)",
      })),
      ...READ_CALLS.map((name) => ({ name, base: 0, limit: 2, against: "`select 1`" })),
    ];
    for (const { name, base, limit, against } of limits) {
      const operation = store.operations.find((op) => op.name === name);
      const ratio = operation?.ratios[base];
      if (operation === undefined || ratio === undefined) continue;
      figures.push({
        scenario: `${name}, one call`,
        server: store.store,
        figure: times(ratio.ratio),
        against,
        target: `≤ ${times(limit)}`,
        met: ratio.ratio <= limit,
        detail: `rounds ${times(ratio.min)}–${times(ratio.max)}; ${operation.statements ?? "?"} statements`,
      });
    }
  }
  return figures;
}

/** The section, or nothing when the run had neither scenarios nor SQL stores. */
export function renderTargets(report: BenchReport): string[] {
  const figures = [...(report.scenarios?.figures ?? []), ...callFigures(report.stores)];
  if (figures.length === 0 && report.scenarios === undefined) return [];
  const lines = [
    "## Against the targets",
    "",
    "Each figure of this run beside the target issue 9 sets for it (ratios within one run on one",
    "server; *met* / *not met* says how this run came out, on this machine at its load, not a",
    "promise). Where the figure is *not available*, that part of the code is not in this build.",
    "",
    "| scenario | server | figure | against | target | | details |",
    "|---|---|--:|---|---|---|---|",
    ...figures.map(row),
    "",
  ];
  for (const note of report.scenarios?.notes ?? []) lines.push(`- ${note}`);
  if ((report.scenarios?.notes.length ?? 0) > 0) lines.push("");
  return lines;
}
