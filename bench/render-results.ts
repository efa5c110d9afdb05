/**
 * The figures of a run as Markdown tables: printed by `npm run bench` and the middle part of
 * docs/benchmarks.md.
 * @module
 */
import type { BenchReport, MemoryResult, StoreReport } from "./bench-report.js";
import { bytes, perSecond, significant, times } from "./format-figures.js";

function storeTable(report: StoreReport): string[] {
  if (report.status !== "measured") {
    return [`### ${report.store}`, "", `**${report.status}**: ${report.note}`, ""];
  }
  const base = report.baseline.absolute;
  const lines = [
    `### ${report.store}`,
    "",
    `${report.version}; ${report.settings}.`,
    `Baseline: ${report.baseline.name}, median ${significant(base.medianUs)} µs ` +
      `(p25–p75 ${significant(base.p25Us)}–${significant(base.p75Us)} µs, ${base.calls} calls).`,
    "",
    "| operation | × baseline | range over rounds | median µs | p25–p75 µs | calls/s | statements |",
    "|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const op of report.operations) {
    const abs = op.absolute;
    lines.push(
      `| ${op.name} | **${times(op.ratio)}** | ${times(op.ratioMin)}–${times(op.ratioMax)} | ` +
        `${significant(abs.medianUs)} | ${significant(abs.p25Us)}–${significant(abs.p75Us)} | ` +
        `${perSecond(abs.medianUs)} | ${op.statements === undefined ? "–" : significant(op.statements)} |`,
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
