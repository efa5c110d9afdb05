/**
 * Runs `jobcache run` from the sources as a user would run the built CLI: a separate Node
 * process (whose orchestrator children inherit the TypeScript loader), any working directory.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = join(ROOT, "src/cli/main.ts");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Time for one end-to-end test: each starts several Node processes (the CLI, its orchestrators)
 * that load TypeScript, seconds apiece on a loaded 2-core machine, where a whole run took 4.9 s
 * alone and went past 30 s beside the rest of the suite. Generous, since only a hang needs it.
 */
export const E2E_TEST_TIMEOUT_MS = 300_000;

/** Runs the CLI with `args` in `cwd`; resolves when it exits (never rejects). */
export function runCli(args: readonly string[], cwd = ROOT, timeoutMs = 280_000): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", TSX, MAIN, ...args],
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The JSON report a `--json` run printed as its last stdout line. */
export function jsonReport(run: CliRun): Record<string, unknown> {
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`no JSON report (exit ${run.code}).\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** A CLI run in the background: its own process group, so a test can kill it and its workers. */
export interface BackgroundCli {
  readonly child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  readonly done: Promise<CliRun>;
}

/** Starts the CLI with `args` in `cwd` without waiting for it. */
export function startCli(args: readonly string[], cwd = ROOT): BackgroundCli {
  const child = spawn(process.execPath, ["--import", TSX, MAIN, ...args], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const done = new Promise<CliRun>((resolve) => {
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

/** Lines of a `--trace` file that say a ticket actor reached `committed`. */
export async function committedInTrace(path: string): Promise<number> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.split("\n").filter((line) => line.includes('"state":"committed"')).length;
}
