/**
 * `npm run bench`: measures every store against its in-run baseline and prints the tables.
 *
 *   npm run bench                          all stores, prints Markdown tables
 *   npm run bench -- --write               also rewrites docs/benchmarks.md from this run
 *   npm run bench -- --stores LOCAL,SQLITE only these stores
 *   npm run bench -- --quick               a few seconds, for trying the script (noisy figures)
 *   npm run bench -- --json                prints the report as JSON instead
 *
 * The process exits 1 when a store failed (not when a server was down: that store is skipped).
 * @module
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { STORE_NAMES, type StoreName } from "./bench-report.js";
import { renderDocument } from "./render-document.js";
import { renderResults } from "./render-results.js";
import { DEFAULT_OPTIONS, runSuite, type SuiteOptions } from "./run-suite.js";

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

function parseStores(text: string | undefined): StoreName[] {
  if (text === undefined) return [...DEFAULT_OPTIONS.stores];
  return text.split(",").map((name) => {
    const upper = name.trim().toUpperCase();
    if (!(STORE_NAMES as readonly string[]).includes(upper)) {
      throw new Error(`--stores: unknown store "${name}"; use some of ${STORE_NAMES.join(",")}`);
    }
    return upper as StoreName;
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      write: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      stores: { type: "string" },
    },
  });
  const options: SuiteOptions = {
    ...DEFAULT_OPTIONS,
    ...(values.quick ? QUICK : {}),
    stores: parseStores(values.stores),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  const report = await runSuite(options);
  const text = values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderResults(report)}\n`;
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  if (values.write) {
    await writeFile(DOCUMENT, renderDocument(report));
    process.stderr.write("bench: wrote docs/benchmarks.md\n");
  }
  process.stderr.write(`bench: done in ${(report.durationMs / 1000).toFixed(1)} s\n`);
  return report.stores.some((store) => store.status === "failed") ? 1 : 0;
}

// Exit rather than wait: a store that hung (reported as failed) may still hold sockets or timers.
process.exit(await main());
