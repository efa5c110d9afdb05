import type { PluginConfig } from "../base/types.js";
import { loadPlatformConfig } from "../manager/platform-config.js";
import { EMBEDDED_DATABASE_PATH } from "../store/sql/dialects/sqlite/sqlite-dialect.js";

/** The help text of every command's `--config` option. */
export const CONFIG_OPTION_HELP = `platform config with a jobCache: section (default: embedded SQLite at ${EMBEDDED_DATABASE_PATH})`;

/**
 * The config used when none is given: SQLite in one file, which deploys its own schema. Several
 * processes on this machine can share it; for several machines use a database server.
 */
export function embeddedDefaultConfig(path = EMBEDDED_DATABASE_PATH): PluginConfig {
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
