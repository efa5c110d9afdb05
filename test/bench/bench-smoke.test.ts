/**
 * The benchmark code runs and reports well-formed figures (on LOCAL, with very few samples).
 * Nothing here checks a speed: the figures of so short a run mean nothing.
 */
import { describe, expect, it } from "vitest";
import type { BenchReport, RatioResult, StoreReport } from "../../bench/bench-report.js";
import { renderDocument } from "../../bench/render-document.js";
import { DEFAULT_OPTIONS, runSuite } from "../../bench/run-suite.js";

const OPERATIONS = [
  "grant+close",
  "full step",
  "renewTicket",
  "createEntry",
  "queryStatus",
  "openTicket",
  "openNewTicket",
  "updateEntry",
  "deleteEntry",
  "closeTicket",
  "readEntry",
];

function expectPositive(value: number, what: string): void {
  expect(Number.isFinite(value), `${what} = ${value} is finite`).toBe(true);
  expect(value, what).toBeGreaterThan(0);
}

function measuredStore(report: BenchReport): Extract<StoreReport, { status: "measured" }> {
  const local = report.stores[0];
  if (local?.status !== "measured") throw new Error(`LOCAL was not measured: ${JSON.stringify(local)}`);
  return local;
}

describe("npm run bench (smoke, LOCAL only)", () => {
  it("reports a finite, positive ratio for every operation and for memory", async () => {
    const report = await runSuite({
      ...DEFAULT_OPTIONS,
      stores: ["LOCAL"],
      rounds: 2,
      taskTimeMs: 1,
      warmupMs: 1,
      minSamples: 3,
      queryEntries: 20,
      keyPool: 5,
      memoryEntries: 10_000,
      memorySamples: 1,
    });

    expect(report.stores.map((store) => store.store)).toEqual(["LOCAL"]);
    const local = measuredStore(report);
    expect(local.operations.map((op) => op.name)).toEqual(OPERATIONS);
    expect(local.baselines.map((base) => base.name)).toEqual(["Map get+set"]);
    expectPositive(local.baselines[0]!.absolute.medianUs, "baseline median");
    for (const op of local.operations) {
      expect(op.ratios, `${op.name}: one ratio per baseline`).toHaveLength(1);
      const [{ ratio, min, max }] = op.ratios as [RatioResult];
      expectPositive(ratio, `${op.name} ratio`);
      expectPositive(min, `${op.name} smallest round ratio`);
      expect(min).toBeLessThanOrEqual(ratio);
      expect(ratio).toBeLessThanOrEqual(max);
      expectPositive(op.absolute.medianUs, `${op.name} median`);
      expect(op.absolute.minUs).toBeLessThanOrEqual(op.absolute.medianUs);
      expect(op.absolute.samples).toBeGreaterThanOrEqual(2 * 3);
      expect(op.statements, "LOCAL sends no SQL").toBeUndefined();
    }

    const memory = report.memory;
    if (memory === undefined) throw new Error("no memory figure for LOCAL");
    expectPositive(memory.ratio, "memory ratio");
    expectPositive(memory.localBytesPer10k, "LOCAL heap per 10k entries");
    expectPositive(memory.baselineBytesPer10k, "baseline heap per 10k entries");
  });

  it("renders docs/benchmarks.md with every operation and no missing figure", async () => {
    const report = await runSuite({
      ...DEFAULT_OPTIONS,
      stores: ["LOCAL"],
      rounds: 1,
      taskTimeMs: 1,
      warmupMs: 1,
      minSamples: 2,
      queryEntries: 10,
      keyPool: 2,
      memoryEntries: 10_000,
      memorySamples: 1,
    });
    const document = renderDocument(report);

    expect(document).toMatch(/^# Benchmarks\n/);
    expect(document).toContain("### LOCAL");
    expect(document).toContain("### Memory: LOCAL heap per 10k entries");
    expect(document).toContain("| operation | × Map get+set | range | median µs |");
    for (const name of OPERATIONS) expect(document).toContain(`| ${name} | **`);
    expect(document).not.toMatch(/NaN|Infinity|undefined/);
  });
});
