/**
 * `jobcache config check FILE` (or `--config FILE`): loads a platform config and runs every check
 * `createJobCacheManager` runs, without connecting (`--connect` tries the connection too), then
 * prints the config with secrets hidden, so an operator sees what will be used before starting.
 * @module
 */
import type { Command } from "commander";
import { stringify } from "yaml";
import { ECache } from "../../base/errors.js";
import { redactConfig } from "../../base/redaction.js";
import type { PluginConfig } from "../../base/types.js";
import { createJobCacheManager } from "../../manager/create-job-cache-manager.js";
import { loadPlatformConfig } from "../../manager/platform-config.js";
import { checkPluginConfig } from "../../manager/plugin-registry.js";
import { commandGroup } from "../command-group.js";

interface CheckFlags {
  config?: string;
  connect: boolean;
}

/** A library error prefixed with the file it came from; other errors as they are. */
function inFile(error: unknown, file: string): unknown {
  if (!(error instanceof ECache) || error.message.startsWith(file)) return error;
  const copy = new (error.constructor as new (message: string, facts: object) => ECache)(
    `${file}: ${error.message}`,
    { cause: error },
  );
  return copy;
}

/** Opens the store as the cache would; SQL stores only report their schema (no deploy). */
async function tryConnection(config: PluginConfig): Promise<string> {
  if (["JDBC", "SQL"].includes(config.protocol.trim().toUpperCase())) {
    const { schemaStatus } = await import("../../store/sql/migrate.js");
    const status = await schemaStatus(config);
    return `connected, schema ${status.state}`;
  }
  const manager = await createJobCacheManager(config);
  await manager.close();
  return "connected";
}

/** The action: throws on any problem; `runCli` prints it and exits 1. */
async function configCheck(
  fileArgument: string | undefined,
  flags: CheckFlags,
  command: Command,
): Promise<void> {
  if (fileArgument !== undefined && flags.config !== undefined && fileArgument !== flags.config) {
    command.error(`jobcache: give the config file once: ${fileArgument} or --config ${flags.config}`);
  }
  const file = fileArgument ?? flags.config;
  if (file === undefined) {
    command.error("jobcache: missing the config file: jobcache config check --config FILE (or FILE)");
  }
  const config = await loadPlatformConfig(file);
  const checked = await checkPluginConfig(config.jobCache).catch((error: unknown) => {
    throw inFile(error, file);
  });
  const connected = flags.connect
    ? await tryConnection(config.jobCache).catch((error: unknown) => {
        throw inFile(error, file);
      })
    : "not connected (--connect tries)";
  const target = checked.target === undefined ? "" : `, ${checked.target}`;
  const header =
    `# ${file}: valid, protocol ${config.jobCache.protocol}${target}; ${connected}; ` +
    "secrets shown as ***\n";
  process.stdout.write(header + stringify(redactConfig(config, checked.printable ?? {})));
}

/** Adds `config check [FILE]` to the program. */
export function addConfigCheckCommand(program: Command): void {
  commandGroup(program, "config", "work with platform config files")
    .command("check")
    .description(
      "load a TRAC-style platform config, run every check the cache runs before connecting " +
        "(protocol, properties, URLs, secrets from the environment), and print it with secrets shown as ***",
    )
    .argument("[file]", "the platform config YAML file (or give it with --config)")
    .option("-c, --config <file>", "the platform config YAML file")
    .option("--connect", "also connect, as the cache would, and report the schema", false)
    .action(configCheck);
}
