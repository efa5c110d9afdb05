/**
 * `jobcache prune --config F --older-than 1h`: removes lease rows that ended (released or
 * expired) longer ago than the given age, in one cache or all. Live leases are never touched;
 * released rows are otherwise kept as history for `jobcache inspect --all`.
 * @module
 */
import type { Command } from "commander";
import { ECacheConfig, EInvalidArgument } from "../../base/errors.js";
import { validateCacheName } from "../../base/validate.js";
import { CONFIG_OPTION_HELP, openConfiguredStore } from "../config-option.js";

interface PruneFlags {
  config?: string;
  cache?: string;
  olderThan: string;
  json: boolean;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h`, `7d`, `500ms` (a bare number is milliseconds). */
export function parseAge(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (match === null) {
    throw new EInvalidArgument(
      "--older-than",
      `--older-than takes an age like 90s, 15m, 1h or 7d, got "${text}"`,
    );
  }
  return Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
}

async function prune(flags: PruneFlags): Promise<void> {
  const olderThanMs = parseAge(flags.olderThan);
  const cacheName = flags.cache === undefined ? undefined : validateCacheName(flags.cache);
  const { store, config, source } = await openConfiguredStore(flags.config);
  try {
    if (store.prune === undefined) {
      throw new ECacheConfig(
        `${source}: the ${config.protocol} store cannot prune leases (no prune operation)`,
      );
    }
    const pruned = await store.prune(olderThanMs, cacheName);
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ source, cacheName: cacheName ?? null, olderThanMs, pruned })}\n`,
      );
      return;
    }
    const where = cacheName === undefined ? "" : ` of cache ${cacheName}`;
    process.stdout.write(
      `pruned ${pruned} lease row(s)${where} that ended more than ${flags.olderThan} ago\n`,
    );
  } finally {
    await store.close();
  }
}

/** Adds `prune` to the program. */
export function addPruneCommand(program: Command): void {
  program
    .command("prune")
    .description("remove released and expired lease rows older than an age (never a live lease)")
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .requiredOption("--older-than <age>", "how long ago the lease must have ended: 90s, 15m, 1h, 7d")
    .option("--cache <name>", "only this cache")
    .option("--json", "print one JSON object", false)
    .action(prune);
}
