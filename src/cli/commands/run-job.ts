/**
 * `jobcache run`: the main job. Runs N orchestrator processes hot-hot over one database (the
 * embedded SQLite file by default), pushes M jobs through TRAC's lifecycle, and proves with an
 * audit of the database that every step committed exactly once and no job was lost.
 * @module
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { PluginConfig } from "../../base/types.js";
import { CONFIG_OPTION_HELP, jobCacheConfig, withConfigHint } from "../config-option.js";
import { CommandFailed } from "../exit-codes.js";
import type { ExecutorSettings, WorkerLog } from "../run/messages.js";
import { runMainJob } from "../run/run-main.js";
import { formatReport, runSucceeded } from "../run/run-report.js";

interface RunFlags {
  config?: string;
  processes: number;
  jobs: number;
  killOne: boolean;
  json: boolean;
  trace?: string;
  maxJobs: number;
  ticketMs: number;
  failureRate: number;
  timeout: number;
  grace: number;
  executor: "simulated" | "command";
  command?: string;
  resume?: string | true;
  verbose: boolean;
  logFormat: "text" | "json";
}

function integer(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

function fraction(text: string): number {
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new InvalidArgumentError("expected a number from 0 to 1");
  return value;
}

async function resolveConfig(file: string | undefined): Promise<{ config: PluginConfig; label: string }> {
  const { config, source } = await jobCacheConfig(file);
  const dialect = config.properties?.dialect;
  const label =
    file === undefined ? source : `${config.protocol}${dialect === undefined ? "" : `/${dialect}`} (${file})`;
  return { config, label };
}

function executorSettings(flags: RunFlags): ExecutorSettings {
  if (flags.executor === "simulated") {
    if (flags.command !== undefined) throw new CommandFailed("--command needs --executor command", 2);
    return { kind: "simulated", failureRate: flags.failureRate, delayMs: [1, 5] };
  }
  if (flags.command === undefined || flags.command.trim() === "") {
    throw new CommandFailed(
      '--executor command needs --command "..." (the shell command run for each step)',
      2,
    );
  }
  return { kind: "command", command: flags.command };
}

type LogRecord = Pick<WorkerLog, "level" | "message" | "facts"> & { readonly worker?: string };

/** A text fact: numbers and plain words as they are, anything else as JSON. */
const factText = (value: unknown): string =>
  typeof value === "string" && /^[\w.:@/-]*$/.test(value) ? value : JSON.stringify(value);

/** One log line on stderr: `jobcache run: ...` with `name=value` facts, or a JSON object (pino's field names). */
function formatLog(format: RunFlags["logFormat"], record: LogRecord): string {
  const facts = record.worker === undefined ? record.facts : { worker: record.worker, ...record.facts };
  if (format === "json") {
    return JSON.stringify({
      time: new Date().toISOString(),
      level: record.level,
      msg: record.message,
      ...facts,
    });
  }
  const pairs = Object.entries(facts).map(([name, value]) => ` ${name}=${factText(value)}`);
  const level = record.level === "info" ? "" : `${record.level}: `;
  return `jobcache run: ${level}${record.message}${pairs.join("")}`;
}

async function runAction(flags: RunFlags): Promise<void> {
  const executor = executorSettings(flags);
  const { config, label } = await resolveConfig(flags.config);
  // with --json the report is the output: text lines go only when asked for (--verbose, --log-format json)
  const quiet = flags.json && flags.logFormat === "text" && !flags.verbose;
  const write = (record: LogRecord) => {
    if (!quiet) process.stderr.write(`${formatLog(flags.logFormat, record)}\n`);
  };
  const log = (line: string) => write({ level: "info", message: line, facts: {} });
  const report = await runMainJob({
    config,
    storeLabel: label,
    processes: flags.processes,
    jobs: flags.jobs,
    killOne: flags.killOne,
    maxJobs: flags.maxJobs,
    ticketDurationMs: flags.ticketMs,
    executor,
    timeoutMs: flags.timeout * 1000,
    graceMs: flags.grace * 1000,
    ...(flags.trace === undefined ? {} : { tracePath: flags.trace }),
    ...(flags.resume === undefined ? {} : { resume: flags.resume }),
    progressOut: flags.json ? process.stderr : process.stdout,
    log,
    ...(flags.verbose ? { workerLog: write } : {}),
  });
  process.stdout.write(`${flags.json ? JSON.stringify(report) : formatReport(report)}\n`);
  if (report.interrupted !== undefined) {
    throw new CommandFailed(
      `stopped by ${report.interrupted}: ${report.completed} jobs finished, ${report.left} left, ` +
        `${report.doubleCommits} double commits, ${report.lostJobs} lost; continue with: jobcache run --resume ${report.run}`,
      report.interrupted === "SIGINT" ? 130 : 143,
    );
  }
  if (!runSucceeded(report)) {
    throw new CommandFailed(
      `the audit failed: ${report.doubleCommits} double commits, ${report.lostJobs} jobs lost` +
        (report.problems.length > 0 ? ` (${report.problems[0]})` : ""),
    );
  }
}

/** Adds `run` to the program. */
export function addRunCommand(program: Command): void {
  program
    .command("run")
    .description(
      "the main job: run several orchestrator processes hot-hot over one job cache, push jobs " +
        "through TRAC's lifecycle with a simulated executor (or a shell command), and report (with an " +
        "audit of the database) that every step committed exactly once and no job was lost",
    )
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .addOption(
      new Option("-p, --processes <n>", "orchestrator processes").default(3).argParser(integer(1, 64)),
    )
    .addOption(new Option("-j, --jobs <m>", "jobs to run").default(200).argParser(integer(1, 1_000_000)))
    .option(
      "--kill-one",
      "kill one orchestrator with SIGKILL mid-run; its jobs finish elsewhere once its leases expire",
      false,
    )
    .option("--json", "print the report as one JSON object", false)
    .option(
      "--trace <file>",
      "write every ticket actor transition (XState inspection events) to FILE as JSON lines",
    )
    .addOption(
      new Option("--max-jobs <n>", "jobs each orchestrator works on at once")
        .default(10)
        .argParser(integer(1, 1000)),
    )
    .addOption(
      new Option("--ticket-ms <ms>", "ticket (lease) length; a killed orchestrator's jobs wait this long")
        .default(3000)
        .argParser(integer(100, 300_000)),
    )
    .addOption(
      new Option("--failure-rate <p>", "chance that an executor call fails")
        .default(0.05)
        .argParser(fraction),
    )
    .addOption(
      new Option("--executor <kind>", "what runs each step: a simulated executor, or --command")
        .choices(["simulated", "command"])
        .default("simulated"),
    )
    .option(
      "--command <shell>",
      "with --executor command: run this for each step; JOBCACHE_JOB_KEY, JOBCACHE_STATUS, " +
        "JOBCACHE_STEP and JOBCACHE_FENCING_TOKEN are in its environment, exit 0 is success",
    )
    .option(
      "--resume [run]",
      "continue the last unfinished run (or the one named) instead of starting a new one, and audit all its jobs",
    )
    .addOption(
      new Option(
        "--grace <s>",
        "on SIGINT/SIGTERM, seconds running steps get to finish before they are abandoned",
      )
        .default(10)
        .argParser(integer(0, 3600)),
    )
    .option(
      "-v, --verbose",
      "log every orchestrator event (grant, renewal, commit, lost lease, ...) of every worker",
      false,
    )
    .addOption(
      new Option("--log-format <format>", "log lines on stderr as text or as JSON objects (one a line)")
        .choices(["text", "json"])
        .default("text"),
    )
    .addOption(
      new Option("--timeout <s>", "give up after this many seconds")
        .default(600)
        .argParser(integer(1, 86_400)),
    )
    .addHelpText(
      "after",
      `
Examples:
  $ npm start                                  3 processes, 200 jobs, embedded SQLite
  $ npm start -- --kill-one --json             kill one process mid-run, print JSON
  $ jobcache run --config platform.yaml -p 4   four processes against a PostgreSQL server
  $ jobcache run --executor command --command 'sh -c "echo $JOBCACHE_JOB_KEY $JOBCACHE_FENCING_TOKEN"'
  $ jobcache run --resume                      finish the jobs a stopped or killed run left

Ctrl-C (or SIGTERM) stops polling, gives running steps --grace seconds, then prints the report
and the audit of what finished and what is left; a second Ctrl-C stops at once.

Exit status: 0 when the audit finds no double commit and no lost job, 1 otherwise,
130 or 143 when stopped by SIGINT or SIGTERM.`,
    )
    .action((flags: RunFlags) =>
      runAction(flags).catch((error) => Promise.reject(withConfigHint(error, flags.config))),
    );
}
