/**
 * `npm run bench`: the per-store call suite and the scenarios (bench/scenarios), every figure a
 * ratio against a baseline of the same run, then the tables.
 *
 *   npm run bench                          everything (several minutes), prints Markdown tables
 *   npm run bench -- --write               also rewrites docs/benchmarks.md from this run
 *   npm run bench -- --stores LOCAL,SQLITE only these stores (and servers for the scenarios)
 *   npm run bench -- --scenarios calls,drain  only these parts: calls, lifecycle, drain,
 *                                          contention, scale, main-job, peers
 *   npm run bench -- --quick               seconds to a minute, for trying the script (noisy figures)
 *   npm run bench -- --json                prints the report as JSON instead
 *
 * The process exits 1 when a store or scenario failed (not when a server was down: skipped).
 * @module
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type BenchReport, STORE_NAMES, type StoreName } from "./bench-report.js";
import { renderDocument } from "./render-document.js";
import { renderResults } from "./render-results.js";
import { DEFAULT_OPTIONS, runSuite, type SuiteOptions } from "./run-suite.js";
import { renderTargets } from "./scenarios/render-scenarios.js";
import { DEFAULT_SCENARIO_OPTIONS, QUICK_SCENARIO_OPTIONS, runScenarios } from "./scenarios/run-scenarios.js";
import type { ServerName } from "./scenarios/scenario-place.js";
import { SCENARIO_NAMES, type ScenarioName } from "./scenarios/scenario-report.js";

const DOCUMENT = new URL("../docs/benchmarks.md", import.meta.url);

/** Small enough to finish in seconds; the figures are only indicative. */
const QUICK: Partial<SuiteOptions> = {
  rounds: 2,
  taskTimeMs: 50,
  warmupMs: 20,
  minSamples: 5,
  memoryEntries: 2_000,
  memorySamples: 2,
};

function parseList<T extends string>(option: string, text: string | undefined, names: readonly T[]): T[] {
  if (text === undefined) return [...names];
  return text.split(",").map((name) => {
    const wanted = name.trim();
    const found = names.find((known) => known.toLowerCase() === wanted.toLowerCase());
    if (found === undefined)
      throw new Error(`--${option}: unknown "${name}"; use some of ${names.join(",")}`);
    return found;
  });
}

/** The commit measured, and whether the work tree had changes to tracked files. */
function gitCommit(): string | undefined {
  try {
    const run = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
    const commit = run("rev-parse", "--short", "HEAD");
    return run("status", "--porcelain", "--untracked-files=no") === ""
      ? commit
      : `${commit} + uncommitted changes`;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      write: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      stores: { type: "string" },
      scenarios: { type: "string" },
    },
  });
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const stores = parseList<StoreName>("stores", values.stores, STORE_NAMES);
  const scenarios = parseList<ScenarioName>("scenarios", values.scenarios, SCENARIO_NAMES);
  const options: SuiteOptions = {
    ...DEFAULT_OPTIONS,
    ...(values.quick ? QUICK : {}),
    stores: scenarios.includes("calls") ? stores : [],
    log,
  };
  const suite = await runSuite(options);
  const servers = stores.filter(
    (store): store is ServerName => store === "POSTGRESQL" || store === "MARIADB",
  );
  const others = scenarios.filter(
    (name) => name !== "calls" && (name !== "main-job" || stores.includes("SQLITE")),
  );
  const report: BenchReport = {
    ...suite,
    commit: gitCommit(),
    scenarios:
      others.length === 0
        ? undefined
        : await runScenarios({
            ...DEFAULT_SCENARIO_OPTIONS,
            ...(values.quick ? QUICK_SCENARIO_OPTIONS : {}),
            scenarios: others,
            servers,
            log,
          }),
  };
  const finished = { ...report, durationMs: report.durationMs + (report.scenarios?.durationMs ?? 0) };
  const text = values.json
    ? `${JSON.stringify(finished, null, 2)}\n`
    : `${[...renderTargets(finished), renderResults(finished)].join("\n")}\n`;
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  if (values.write) {
    await writeFile(DOCUMENT, renderDocument(finished));
    process.stderr.write("bench: wrote docs/benchmarks.md\n");
  }
  process.stderr.write(`bench: done in ${(finished.durationMs / 1000).toFixed(1)} s\n`);
  const failed = finished.stores.some((store) => store.status === "failed");
  const scenarioFailed = finished.scenarios?.notes.some((note) => / failed: /.test(note)) ?? false;
  return failed || scenarioFailed ? 1 : 0;
}

// Exit rather than wait: a store that hung (reported as failed) may still hold sockets or timers.
process.exit(await main());
