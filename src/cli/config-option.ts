import { EMBEDDED_DATABASE_PATH, embeddedDefaultConfig } from "../config/embedded-default.js";
import { loadPlatformConfig } from "../config/platform-config.js";
import type { PluginConfig } from "../types.js";

/** The help text of every command's `--config` option. */
export const CONFIG_OPTION_HELP = `platform config with a jobCache: section (default: embedded SQLite at ${EMBEDDED_DATABASE_PATH})`;

/** The `jobCache:` section of `file`, or the embedded default when no file is given. */
export async function jobCacheConfig(
  file: string | undefined,
): Promise<{ config: PluginConfig; source: string }> {
  if (file === undefined)
    return { config: embeddedDefaultConfig(), source: `embedded SQLite ${EMBEDDED_DATABASE_PATH}` };
  return { config: (await loadPlatformConfig(file)).jobCache, source: file };
}
