import { systemClock } from "../base/clock.js";
import { silentLogger } from "../base/logger.js";
import type { PluginConfig } from "../base/types.js";
import { loadPlatformConfig } from "../manager/platform-config.js";
import { findPlugin, normalisePluginConfig } from "../manager/plugin-registry.js";
import { EMBEDDED_DATABASE_PATH } from "../store/sql/dialects/sqlite/sqlite-dialect.js";
import type { JobStore } from "../store/store.js";

/** The help text of every command's `--config` option. */
export const CONFIG_OPTION_HELP = `platform config with a jobCache: section (default: embedded SQLite at ${EMBEDDED_DATABASE_PATH})`;

/**
 * The config used when none is given: SQLite in one file, which deploys its own schema. Several
 * processes on this machine can share it; for several machines use a database server.
 */
function embeddedDefaultConfig(path = EMBEDDED_DATABASE_PATH): PluginConfig {
  return { protocol: "JDBC", properties: { dialect: "SQLITE", jdbcUrl: path } };
}

/** The `jobCache:` section of `file`, or the embedded default when no file is given. */
export async function jobCacheConfig(
  file: string | undefined,
): Promise<{ config: PluginConfig; source: string }> {
  if (file === undefined)
    return { config: embeddedDefaultConfig(), source: `embedded SQLite ${EMBEDDED_DATABASE_PATH}` };
  return { config: (await loadPlatformConfig(file)).jobCache, source: file };
}

/**
 * The store of `file`'s `jobCache:` section (or the embedded default), for the operator commands
 * that read or change leases below the JobCache API (inspect, revoke, prune, ui). The config is
 * checked as createJobCacheManager checks it. The caller closes the store.
 */
export async function openConfiguredStore(
  file: string | undefined,
): Promise<{ store: JobStore; config: PluginConfig; source: string }> {
  const { config, source } = await jobCacheConfig(file);
  const checked = normalisePluginConfig(config);
  const store = await findPlugin(checked.protocol).createStore(checked, {
    clock: systemClock,
    logger: silentLogger,
  });
  return { store, config: checked, source };
}

/** `file` as one shell word: as it is when plain, else in single quotes. */
function shellWord(file: string): string {
  return /^[\w./:@%+=,-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`;
}

/**
 * Library messages name the placeholder `--config FILE` (e.g. "deploy the schema with `jobcache db
 * deploy --config FILE`"); a command given `--config` prints the user's own file there instead.
 * @example
 * await inspect(flags).catch((error) => { throw withConfigHint(error, flags.config); });
 */
export function withConfigHint(error: unknown, file: string | undefined): unknown {
  if (file !== undefined && error instanceof Error && error.message.includes("--config FILE")) {
    error.message = error.message.replaceAll("--config FILE", `--config ${shellWord(file)}`);
  }
  return error;
}
