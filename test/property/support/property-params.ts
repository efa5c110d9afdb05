/**
 * Run budgets, seeds and replay for every property of test/property: one place reads the
 * JOBCACHE_PROPERTY_* variables, and {@link assertProperty} turns a failure into an error that
 * says how to run exactly that case again.
 *
 * - `JOBCACHE_PROPERTY_RUNS`: runs per property (default: each property's own small budget).
 * - `JOBCACHE_PROPERTY_SEED`: the fast-check seed (default: vitest.config.ts `sequence.seed`).
 * - `JOBCACHE_PROPERTY_PATH`: replay one failing case (with its seed), as printed on failure.
 * - `JOBCACHE_PROPERTY_REPLAY_PATH`: the `replayPath` of a failing command sequence, as printed.
 * @module
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

/** vitest.config.ts's `sequence.seed`, kept in step with it when the worker state is not readable. */
const VITEST_CONFIG_SEED = 20261125;

/** The seed vitest was started with (`sequence.seed`), so one number pins test order and properties. */
function vitestSeed(): number {
  const worker = (globalThis as { __vitest_worker__?: { config?: { sequence?: { seed?: unknown } } } })
    .__vitest_worker__;
  const seed = worker?.config?.sequence?.seed;
  return typeof seed === "number" && Number.isInteger(seed) ? seed : VITEST_CONFIG_SEED;
}

function readInteger(name: string, min: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function readText(name: string): string | undefined {
  const text = process.env[name]?.trim();
  return text === undefined || text === "" ? undefined : text;
}

/** Runs for one property: `JOBCACHE_PROPERTY_RUNS` when set (soak runs), else `defaultRuns`. */
export function propertyRuns(defaultRuns: number): number {
  return readInteger("JOBCACHE_PROPERTY_RUNS", 1) ?? defaultRuns;
}

/** The seed every property of this run uses. */
export function propertySeed(): number {
  return readInteger("JOBCACHE_PROPERTY_SEED", -(2 ** 31)) ?? vitestSeed();
}

/** `replayPath` for `fc.commands`, to rebuild a failing command sequence exactly. */
export function commandsReplayPath(): string | undefined {
  return readText("JOBCACHE_PROPERTY_REPLAY_PATH");
}

/**
 * fast-check parameters: seed (env or vitest's), `numRuns`, and, when `JOBCACHE_PROPERTY_PATH`
 * is set, that one case only (no further shrinking), as fast-check's own replay does.
 */
export function propertyParameters<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const path = readText("JOBCACHE_PROPERTY_PATH");
  return {
    ...extra,
    seed: propertySeed(),
    numRuns,
    ...(path === undefined ? {} : { path, endOnFailure: true }),
  };
}

/** The `replayPath` fast-check prints inside a failing command sequence, if there is one. */
export function printedReplayPath(report: string): string | undefined {
  return /replayPath="([^"]*)"/.exec(report)?.[1];
}

/** The shell line that replays a failure of `details` in `testFile`. */
export function replayCommand<Ts>(details: fc.RunDetails<Ts>, testFile: string): string {
  const replay = printedReplayPath(fc.defaultReportMessage(details) ?? "");
  const variables = [
    `JOBCACHE_PROPERTY_SEED=${details.seed}`,
    details.counterexamplePath === null ? undefined : `JOBCACHE_PROPERTY_PATH=${details.counterexamplePath}`,
    replay === undefined ? undefined : `JOBCACHE_PROPERTY_REPLAY_PATH=${replay}`,
  ].filter((part) => part !== undefined);
  return `${variables.join(" ")} npx vitest run ${testFile}`;
}

/**
 * Checks `property` and, on failure, throws fast-check's report (counterexample, seed, path),
 * the failure's own message, and the command that replays it.
 */
export async function assertProperty<Ts>(
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  parameters: fc.Parameters<Ts>,
  testFile: string,
): Promise<void> {
  const details = await fc.check(property, parameters);
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? "property failed";
  const error = details.errorInstance;
  const why = error instanceof Error ? error.message : String(error);
  throw new Error(
    `${report}\n\nFailure: ${why}\n\nReplay this case with:\n  ${replayCommand(details, testFile)}\n`,
    { cause: error },
  );
}

/** The path of a test file from its `import.meta.url`, relative to the project, for replay lines. */
export function testFileOf(url: string): string {
  return relative(process.cwd(), fileURLToPath(url));
}

/** A vitest timeout for `runs` runs of about `msPerRun` each, never below 60 s (soak runs scale it). */
export function timeoutFor(runs: number, msPerRun: number): number {
  return Math.max(60_000, runs * msPerRun * 3);
}
