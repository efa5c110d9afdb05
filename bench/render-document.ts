import type { BenchReport } from "./bench-report.js";
import { renderResults } from "./render-results.js";

export function renderDocument(report: BenchReport): string {
  return `# Benchmarks\n\n${renderResults(report)}`;
}
