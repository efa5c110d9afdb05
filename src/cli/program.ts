/**
 * The `jobcache` command line: the program, its help, and the commands. Each command lives in
 * `commands/<name>.ts` and exports one function that adds it to the program.
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { addConfigCheckCommand } from "./commands/config-check.js";
import { addDbCommands } from "./commands/db.js";
import { addDiagramCommand } from "./commands/diagram.js";
import { addInspectCommand } from "./commands/inspect.js";
import { addPruneCommand } from "./commands/prune.js";
import { addRevokeCommand } from "./commands/revoke.js";
import { addRunCommand } from "./commands/run-job.js";
import { addUiCommand } from "./commands/ui.js";

const PACKAGE_NAME = "jobcache";

/**
 * The package's own version, read at run time so the CLI reports the version actually installed,
 * whether it runs from `dist/` or from `src/` (via tsx): the `version` of the nearest package.json named `jobcache` above this file.
 * @returns the version, or "unknown" when no such package.json is found
 */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") return manifest.version;
    } catch {
      // no (readable) package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}

// one line a paragraph: commander wraps the text to the terminal's width
const DESCRIPTION = [
  "jobcache: exclusive, time-limited job tickets over one SQL database.",
  "",
  "Several orchestrator instances (as in FINOS TRAC) share one job cache so they can run hot-hot: " +
    "a ticket gives one instance a job for a limited time, renewals keep it while the job runs, and " +
    "every write is fenced by the database, so no job step runs twice.",
  "",
  "Protocols: LOCAL (one process) and JDBC/SQL (SQLite, PostgreSQL, MySQL, MariaDB), set in the " +
    "jobCache: section of a TRAC-style platform config file.",
].join("\n");

const EXAMPLES = `
Examples:
  $ jobcache config check etc/platform.yaml
      check a platform config and print it, secrets shown as ***
  $ JOBCACHE_DB_PASSWORD=... jobcache config check etc/platform.yaml
      secrets are read from the environment variables named under jobCache.secrets

Exit status: 0 success, 1 failure, 2 wrong usage (unknown option, missing argument).`;

/** Commander prints "error: x"; we print "jobcache: x" like every other failure of the CLI. */
function outputError(text: string, write: (text: string) => void): void {
  write(text.replace(/^error: /, "jobcache: "));
}

/**
 * Builds the `jobcache` program. Usage errors throw `CommanderError` (see `exitOverride`) so
 * {@link runCli} can turn them into exit status 2 instead of commander's 1.
 */
export function createProgram(): Command {
  const program = new Command("jobcache")
    .description(DESCRIPTION)
    .version(packageVersion(), "-V, --version", "print the version of jobcache")
    .helpOption("-h, --help", "show help for a command")
    .addHelpText("after", EXAMPLES)
    // set before adding commands: subcommands copy these settings when they are created
    .exitOverride()
    .configureOutput({ outputError })
    .showHelpAfterError("(add --help for usage)");
  addConfigCheckCommand(program);
  addDiagramCommand(program);
  addRunCommand(program);
  addDbCommands(program);
  addInspectCommand(program);
  addUiCommand(program);
  addRevokeCommand(program);
  addPruneCommand(program);
  return program;
}
