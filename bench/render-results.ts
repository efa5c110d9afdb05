/**
 * The figures of a run as Markdown tables: printed by `npm run bench` and the middle part of
 * docs/benchmarks.md.
 * @module
 */
import type { AbsoluteTime, BenchReport, MemoryResult, RatioResult, StoreReport } from "./bench-report.js";
import { bytes, count, perSecond, significant, times } from "./format-figures.js";

function samples(time: AbsoluteTime): string {
  return time.batch === 1 ? `${time.samples} calls` : `${time.samples} samples of ${time.batch} calls`;
}

function microsRange(time: AbsoluteTime): string {
  return `${significant(time.minUs)}–${significant(time.maxUs)}`;
}

function ratioCells(ratio: RatioResult): string {
  return `**${times(ratio.ratio)}** | ${times(ratio.min)}–${times(ratio.max)}`;
}

function storeTable(report: StoreReport): string[] {
  if (report.status !== "measured") {
    return [`### ${report.store}`, "", `**${report.status}**: ${report.note}`, ""];
  }
  const baselines = report.baselines.map(
    (base) =>
      `- Baseline *${base.name}*: ${base.what}; median ${significant(base.absolute.medianUs)} µs ` +
      `(rounds ${microsRange(base.absolute)} µs, ${samples(base.absolute)}).`,
  );
  const ratioHeads = report.baselines.map((base) => `× ${base.name} | range`).join(" | ");
  const ratioRule = report.baselines.map(() => "--:|--:").join("|");
  const lines = [
    `### ${report.store}`,
    "",
    `${report.version}; ${report.settings}.`,
    "",
    ...baselines,
    "",
    `| operation | ${ratioHeads} | median µs | rounds µs | calls/s | statements |`,
    `|---|${ratioRule}|--:|--:|--:|--:|`,
  ];
  for (const op of report.operations) {
    const statements = op.statements === undefined ? "–" : count(op.statements);
    lines.push(
      `| ${op.name} | ${op.ratios.map(ratioCells).join(" | ")} | ${significant(op.absolute.medianUs)} | ` +
        `${microsRange(op.absolute)} | ${perSecond(op.absolute.medianUs)} | ${statements} |`,
    );
  }
  lines.push("");
  return lines;
}

function memoryTable(memory: MemoryResult): string[] {
  return [
    "### Memory: LOCAL heap per 10k entries",
    "",
    `Median of ${memory.samples} samples of ${memory.entries.toLocaleString("en-US")} entries each, ` +
      "scaled to 10k; heap used after full garbage collections, before and after filling.",
    "",
    "| what | heap per 10k entries | per entry | × baseline | range |",
    "|---|--:|--:|--:|--:|",
    `| LOCAL store (entries + released leases) | ${bytes(memory.localBytesPer10k)} | ` +
      `${Math.round(memory.localBytesPer10k / 10_000)} B | **${times(memory.ratio)}** | ` +
      `${times(memory.ratioMin)}–${times(memory.ratioMax)} |`,
    `| baseline: Map of key → { revision, status, encoded value, seq } | ` +
      `${bytes(memory.baselineBytesPer10k)} | ${Math.round(memory.baselineBytesPer10k / 10_000)} B | 1× | |`,
    "",
  ];
}

/** The results of `report`: one table per store, then memory. */
export function renderResults(report: BenchReport): string {
  const lines = report.stores.flatMap(storeTable);
  if (report.memory !== undefined) lines.push(...memoryTable(report.memory));
  return lines.join("\n");
}
