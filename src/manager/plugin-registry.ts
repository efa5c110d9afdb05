import { ECacheConfig, EInvalidArgument } from "../base/errors.js";
import { propertyStrings, quoteName } from "../base/properties.js";
import type { PluginConfig } from "../base/types.js";
import { localPlugin } from "../store/local/local-plugin.js";
import type { CheckedPluginConfig, JobCachePlugin } from "../store/store.js";

/**
 * The SQL protocol, loaded on first use: its drivers (pg, mysql2, a native SQLite module) cost
 * nothing to a process that only uses LOCAL.
 */
const lazySqlPlugin: JobCachePlugin = {
  protocols: ["JDBC", "SQL"],
  createStore: async (config, context) =>
    (await import("../store/sql/sql-plugin.js")).sqlPlugin.createStore(config, context),
  checkConfig: async (config) =>
    (await import("../store/sql/sql-plugin.js")).sqlPlugin.checkConfig?.(config) ?? {},
};

/** Built-in protocols are registered here rather than by import side effects (`sideEffects: false`). */
const builtins: readonly JobCachePlugin[] = [localPlugin, lazySqlPlugin];

const plugins = new Map<string, JobCachePlugin>(
  builtins.flatMap((plugin) => plugin.protocols.map((protocol) => [protocol.toUpperCase(), plugin] as const)),
);

/** Protocol names are matched case-insensitively, as TRAC's plugin manager does. */
function normalise(protocol: string): string {
  return protocol.trim().toUpperCase();
}

/**
 * Registers a third-party job cache protocol. Registering a protocol that is already taken by
 * another plugin throws; registering the same plugin again is a no-op.
 * @example
 * registerJobCachePlugin({ protocols: ["MEMO"], createStore: async () => new MyStore() });
 */
export function registerJobCachePlugin(plugin: JobCachePlugin): void {
  if (plugin === null || typeof plugin !== "object" || typeof plugin.createStore !== "function") {
    throw new EInvalidArgument("plugin", "registerJobCachePlugin needs an object with createStore()");
  }
  if (!Array.isArray(plugin.protocols) || plugin.protocols.length === 0) {
    throw new EInvalidArgument("plugin.protocols", "a plugin must name at least one protocol");
  }
  for (const protocol of plugin.protocols) {
    if (typeof protocol !== "string" || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(protocol)) {
      throw new EInvalidArgument("plugin.protocols", `invalid protocol name ${JSON.stringify(protocol)}`);
    }
    const taken = plugins.get(normalise(protocol));
    if (taken !== undefined && taken !== plugin) {
      throw new EInvalidArgument("plugin.protocols", `protocol ${quoteName(protocol)} is already registered`);
    }
  }
  for (const protocol of plugin.protocols) plugins.set(normalise(protocol), plugin);
}

/** The plugin serving `protocol`, or an error listing the known protocols. */
export function findPlugin(protocol: string): JobCachePlugin {
  const plugin = plugins.get(normalise(protocol));
  if (plugin === undefined) {
    throw new ECacheConfig(
      `Unknown job cache protocol ${quoteName(protocol)}. Known protocols: ${knownProtocols().join(", ")}. ` +
        "Set jobCache.protocol to one of these, or register a plugin with registerJobCachePlugin().",
    );
  }
  return plugin;
}

/** Every registered protocol name, sorted. */
function knownProtocols(): string[] {
  return [...plugins.keys()].sort();
}

/**
 * A plugin config as every protocol reads it: the protocol checked, properties given from code as
 * numbers or booleans turned into their string forms (as YAML loading does), secrets copied.
 * @throws ECacheConfig for a missing protocol or a property that is no single value
 */
export function normalisePluginConfig(config: PluginConfig): PluginConfig {
  if (typeof config.protocol !== "string" || config.protocol.trim() === "") {
    throw new ECacheConfig('jobCache.protocol is required, e.g. "LOCAL" or "JDBC"');
  }
  return {
    protocol: config.protocol,
    properties: propertyStrings(config.properties),
    secrets: { ...config.secrets },
  };
}

/**
 * Runs the checks `createJobCacheManager` runs on `config`, without connecting: the protocol, and
 * the plugin's own checks where it has them (every built-in protocol does).
 * @throws ECacheConfig naming what to change
 */
export async function checkPluginConfig(config: PluginConfig): Promise<CheckedPluginConfig> {
  const normalised = normalisePluginConfig(config);
  const plugin = findPlugin(normalised.protocol);
  return (await plugin.checkConfig?.(normalised)) ?? {};
}
