/**
 * `jobcache config check FILE`: loads a platform config as the cache would, and prints it with
 * secrets hidden, so an operator can see what will be used before starting anything.
 * @module
 */
import type { Command } from "commander";
import { stringify } from "yaml";
import { ECacheConfig } from "../../base/errors.js";
import { redactConfig } from "../../base/redaction.js";
import { loadPlatformConfig } from "../../manager/platform-config.js";
import { findPlugin, knownProtocols } from "../../manager/plugin-registry.js";
import { commandGroup } from "../command-group.js";

/** Fails when protocols are registered and the config's is not one of them. */
function checkProtocol(protocol: string, file: string): void {
  // an empty registry means no plugin module was loaded: nothing to check against
  if (knownProtocols().length === 0) return;
  try {
    findPlugin(protocol);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ECacheConfig(`${file}: ${reason}`, { cause: error });
  }
}

/** The action: throws on any problem; `runCli` prints it and exits 1. */
export async function configCheck(file: string): Promise<void> {
  const config = await loadPlatformConfig(file);
  checkProtocol(config.jobCache.protocol, file);
  const header = `# ${file}: valid, protocol ${config.jobCache.protocol}; secrets shown as ***\n`;
  process.stdout.write(header + stringify(redactConfig(config)));
}

/** Adds `config check FILE` to the program. */
export function addConfigCheckCommand(program: Command): void {
  commandGroup(program, "config", "work with platform config files")
    .command("check")
    .description(
      "load a TRAC-style platform config, check its jobCache: section and protocol, resolve its " +
        "secrets from the environment, and print it with secrets shown as ***",
    )
    .argument("<file>", "the platform config YAML file")
    .action(configCheck);
}
