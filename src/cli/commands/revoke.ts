/**
 * `jobcache revoke --config F --cache C KEY`: ends the live lease of one job at once (operator
 * control for a stuck or misbehaving holder). The holder's next renewal and write fail with
 * ECacheTicket, so its heartbeat aborts the work and nothing more of it commits; the key can be
 * claimed again at once.
 * @module
 */
import type { Command } from "commander";
import { ECacheConfig } from "../../base/errors.js";
import { validateCacheName, validateKey } from "../../base/validate.js";
import { CONFIG_OPTION_HELP, openConfiguredStore } from "../config-option.js";
import { CommandFailed } from "../exit-codes.js";

interface RevokeFlags {
  config?: string;
  cache: string;
  json: boolean;
}

async function revoke(keyArgument: string, flags: RevokeFlags): Promise<void> {
  const cacheName = validateCacheName(flags.cache);
  const key = validateKey(keyArgument);
  const { store, config, source } = await openConfiguredStore(flags.config);
  try {
    if (store.revoke === undefined) {
      throw new ECacheConfig(
        `${source}: the ${config.protocol} store cannot revoke leases (no revoke operation)`,
      );
    }
    const before = (await store.listLeases?.(cacheName))?.find((lease) => lease.key === key);
    const revoked = await store.revoke({ cacheName, key });
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ cacheName, key, revoked, holder: before?.holder ?? null })}\n`,
      );
    } else if (revoked) {
      const holder = before?.holder === undefined ? "" : ` held by ${before.holder}`;
      process.stdout.write(`revoked the lease on ${cacheName}/${key}${holder}\n`);
    }
    if (!revoked) {
      throw new CommandFailed(
        `no live lease on ${cacheName}/${key} to revoke (see jobcache inspect --cache ${cacheName})`,
      );
    }
  } finally {
    await store.close();
  }
}

/** Adds `revoke` to the program. */
export function addRevokeCommand(program: Command): void {
  program
    .command("revoke")
    .description("end the live lease on one job at once: its holder's next renewal and write fail")
    .argument("<key>", "the job's key")
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .requiredOption("--cache <name>", "the cache of the job")
    .option("--json", "print one JSON object", false)
    .action(revoke);
}
