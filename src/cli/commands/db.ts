/**
 * `jobcache db deploy` and `jobcache db status`: the SQL schema as versioned migrations. Deploy
 * needs a user allowed to create tables; the cache itself then runs with DML rights only.
 * @module
 */
import type { Command } from "commander";
import { ECacheConfig } from "../../base/errors.js";
import type { PluginConfig } from "../../base/types.js";
import { commandGroup } from "../command-group.js";
import { CONFIG_OPTION_HELP, jobCacheConfig } from "../config-option.js";
import { CommandFailed } from "../exit-codes.js";

interface DbFlags {
  config?: string;
  json: boolean;
}

function requireSql(config: PluginConfig, source: string): void {
  if (!["JDBC", "SQL"].includes(config.protocol.trim().toUpperCase())) {
    throw new ECacheConfig(
      `${source}: jobCache.protocol is ${config.protocol}; db commands manage the schema of the JDBC/SQL protocol only`,
    );
  }
}

/**
 * With `--json`, a failure is printed as one JSON object on stdout too (`{"error":{"name","message"}}`),
 * so a script reading stdout always gets JSON; the exit status is 1 as without it.
 */
function jsonErrors(action: (flags: DbFlags) => Promise<void>): (flags: DbFlags) => Promise<void> {
  return async (flags) => {
    try {
      await action(flags);
    } catch (error) {
      if (!flags.json || error instanceof CommandFailed) throw error;
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      process.stdout.write(`${JSON.stringify({ error: { name, message } })}\n`);
      throw error;
    }
  };
}

async function deploy(flags: DbFlags): Promise<void> {
  const { config, source } = await jobCacheConfig(flags.config);
  requireSql(config, source);
  const { deploySchema } = await import("../../store/sql/migrate.js");
  const result = await deploySchema(config);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const applied = result.applied.length === 0 ? "nothing to apply" : `applied ${result.applied.join(", ")}`;
  process.stdout.write(`${result.target}: ${applied}; schema is ${result.status.state}\n`);
}

async function status(flags: DbFlags): Promise<void> {
  const { config, source } = await jobCacheConfig(flags.config);
  requireSql(config, source);
  const { schemaStatus } = await import("../../store/sql/migrate.js");
  const result = await schemaStatus(config);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      `${result.target}: schema ${result.state}; applied: ${result.applied.join(", ") || "none"}; ` +
        `pending: ${result.pending.join(", ") || "none"}\n`,
    );
  }
  if (result.state === "missing" || result.state === "outdated") {
    const file = flags.config ?? "FILE";
    const message = `the schema is ${result.state}: run jobcache db deploy --config ${file}`;
    // with --json the state is already printed as JSON: no second object for the same news
    throw flags.json ? new CommandFailed(message) : new ECacheConfig(message);
  }
}

/** Adds `db deploy` and `db status` to the program. */
export function addDbCommands(program: Command): void {
  const db = commandGroup(program, "db", "manage the SQL schema of the job cache");
  db.command("deploy")
    .description("create or upgrade the job cache tables (safe to run from several processes at once)")
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .option("--json", "print the result (or the error) as JSON", false)
    .action(jsonErrors(deploy));
  db.command("status")
    .description("show which schema migrations are applied and pending; exit 1 when a deploy is needed")
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .option("--json", "print the status (or the error) as JSON", false)
    .action(jsonErrors(status));
}
