/**
 * `jobcache inspect`: who holds which job right now (live leases with their holder, state,
 * revision, last heartbeat and time to expiry, by the store's clock) and how many entries each
 * cache has in each status. With `--all`, ended leases too, with how long ago they ended. Reads
 * only.
 * @module
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { ECacheConfig } from "../../base/errors.js";
import { validateCacheName } from "../../base/validate.js";
import type { EntryCount, LeaseInfo } from "../../store/store.js";
import { CONFIG_OPTION_HELP, openConfiguredStore, withConfigHint } from "../config-option.js";

interface InspectFlags {
  config?: string;
  cache?: string;
  all: boolean;
  json: boolean;
  limit: number;
}

/** Leases printed unless `--limit` says otherwise: a screenful; the rest are counted. */
const DEFAULT_LIMIT = 50;

function limitArgument(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError("expected a whole number >= 1");
  return value;
}

function seconds(ms: number): string {
  return `${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

/** When the lease ends or ended, by the store's clock: never a negative "expires in". */
function until(lease: LeaseInfo): string {
  switch (lease.state) {
    case "released":
      return `released ${seconds(lease.expiresInMs)} ago`;
    case "expired":
      return `expired ${seconds(lease.expiresInMs)} ago`;
    default:
      return `expires in ${seconds(lease.expiresInMs)}`;
  }
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function formatLeases(leases: readonly LeaseInfo[], more: number, all: boolean): string {
  if (leases.length === 0) return all ? "no leases" : "no live leases";
  const rows = table(
    ["cache", "key", "holder", "state", "revision", "held for", "renewals", "last heartbeat", "until"],
    leases.map((lease) => [
      lease.cacheName,
      lease.key,
      lease.holder ?? `ticket ${lease.ticketId.slice(0, 8)}`,
      lease.state,
      // 0: the holder saw no entry (a new job not created yet, or one it deleted)
      lease.revision === 0 ? "none" : String(lease.revision),
      lease.heldForMs === undefined ? "" : `${(lease.heldForMs / 1000).toFixed(1)} s`,
      lease.renewals === undefined ? "" : String(lease.renewals),
      lease.heartbeatTime.toISOString(),
      until(lease),
    ]),
  );
  return more === 0 ? rows : `${rows}\n... and ${more} more (use --limit ${leases.length + more} to see all)`;
}

function formatCounts(counts: readonly EntryCount[]): string {
  if (counts.length === 0) return "no entries";
  return table(
    ["cache", "status", "entries"],
    counts.map((count) => [count.cacheName, count.status, String(count.count)]),
  );
}

async function inspect(flags: InspectFlags): Promise<void> {
  const cacheName = flags.cache === undefined ? undefined : validateCacheName(flags.cache);
  const { store, config, source } = await openConfiguredStore(flags.config);
  try {
    if (store.listLeases === undefined || store.countEntries === undefined) {
      throw new ECacheConfig(
        `${source}: the ${config.protocol} store cannot be inspected (no listLeases/countEntries)`,
      );
    }
    const all = await store.listLeases(cacheName);
    const leases = flags.all
      ? all
      : all.filter((lease) => lease.state === "granted" || lease.state === "committed");
    const counts = await store.countEntries(cacheName);
    const shown = leases.slice(0, flags.limit);
    const more = leases.length - shown.length;
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ source, leases: shown, moreLeases: more, entries: counts })}\n`,
      );
      return;
    }
    process.stdout.write(
      `${source}\n\n${flags.all ? "Leases" : "Live leases"}\n${formatLeases(shown, more, flags.all)}\n\nEntries by status\n${formatCounts(counts)}\n`,
    );
  } finally {
    await store.close();
  }
}

/** Adds `inspect` to the program. */
export function addInspectCommand(program: Command): void {
  program
    .command("inspect")
    .description("list live leases (who holds which job, until when) and entries by status")
    .option("-c, --config <file>", CONFIG_OPTION_HELP)
    .option("--cache <name>", "only this cache")
    .option("--all", "include released and expired leases", false)
    .addOption(
      new Option("--limit <n>", "print at most n leases, and how many more there are")
        .default(DEFAULT_LIMIT)
        .argParser(limitArgument),
    )
    .option("--json", "print one JSON object: { source, leases, moreLeases, entries }", false)
    .action((flags: InspectFlags) =>
      inspect(flags).catch((error) => Promise.reject(withConfigHint(error, flags.config))),
    );
}
