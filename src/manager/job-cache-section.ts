/**
 * Reads the `jobCache:` section of a platform config from its YAML nodes (not from plain JS), so
 * every message can point at the line, and numbers keep the text they were written as
 * (`ratio: 1.10` stays "1.10").
 * @module
 */
import { isMap, isScalar, type Pair } from "yaml";
import { propertyPath, shownName } from "../base/properties.js";
import type { PluginConfig } from "../base/types.js";
import { describeNode, keyText, pairsOf, scalarText, valueSite } from "./yaml-nodes.js";
import { configError, resolveNode, type YamlSource } from "./yaml-source.js";

const SECTION_KEYS = ["protocol", "properties", "secrets"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readProperties(yaml: YamlSource, node: unknown): Record<string, string> {
  const entries = pairsOf(yaml, node, "jobCache.properties", "property names to values").map((pair) => {
    const name = keyText(yaml, pair, "jobCache.properties");
    const valueNode = resolveNode(yaml, pair.value);
    const value = scalarText(valueNode);
    if (value === undefined) {
      throw configError(
        yaml,
        valueSite(pair, valueNode),
        `${propertyPath(name)} must be a single value (a string, number or boolean), ` +
          `got ${describeNode(valueNode)}. Give it a value, or remove the line.`,
      );
    }
    return [name, value] as const;
  });
  return Object.fromEntries(entries);
}

function readSecrets(yaml: YamlSource, node: unknown, env: NodeJS.ProcessEnv): Record<string, string> {
  const entries = pairsOf(yaml, node, "jobCache.secrets", "property names to environment variable names");
  const resolved = entries.map((pair) => {
    const name = keyText(yaml, pair, "jobCache.secrets");
    const valueNode = resolveNode(yaml, pair.value);
    const variable = scalarText(valueNode);
    if (variable === undefined || !ENV_NAME.test(variable)) {
      throw configError(
        yaml,
        valueSite(pair, valueNode),
        `${propertyPath(name, "secrets")} must name the environment variable that holds the secret ` +
          `(letters, digits and _, e.g. JOBCACHE_DB_PASSWORD), got ${describeNode(valueNode)}.`,
      );
    }
    const value = env[variable];
    if (value === undefined) {
      throw configError(
        yaml,
        valueNode,
        `environment variable ${variable} is not set; ${propertyPath(name, "secrets")} reads its value from it. ` +
          `Set ${variable} before running jobcache.`,
      );
    }
    return [name, value] as const;
  });
  return Object.fromEntries(resolved);
}

/**
 * Validates the `jobCache:` section node and resolves its secrets from `env`.
 * @throws ECacheConfig naming the key, what was expected and where it is in the file
 */
export function readJobCacheSection(yaml: YamlSource, node: unknown, env: NodeJS.ProcessEnv): PluginConfig {
  const section = resolveNode(yaml, node);
  if (!isMap(section)) {
    throw configError(
      yaml,
      section,
      `jobCache must be a map with protocol, properties and secrets, got ${describeNode(section)}. ` +
        "For example:\n  jobCache:\n    protocol: LOCAL",
    );
  }
  const fields = new Map<string, unknown>();
  for (const pair of section.items as Pair[]) {
    const key = keyText(yaml, pair, "jobCache");
    if (!SECTION_KEYS.includes(key)) {
      throw configError(
        yaml,
        pair.key,
        `unknown key jobCache.${shownName(key)}; expected ${SECTION_KEYS.join(", ")}.`,
      );
    }
    fields.set(key, pair.value);
  }
  const protocolNode = resolveNode(yaml, fields.get("protocol"));
  const protocol = isScalar(protocolNode) ? protocolNode.value : undefined;
  if (typeof protocol !== "string" || protocol.trim() === "") {
    const got = protocolNode === undefined ? "no protocol" : describeNode(protocolNode);
    throw configError(
      yaml,
      protocolNode ?? section,
      `jobCache.protocol must be a non-empty string naming the cache plugin (e.g. LOCAL or JDBC), got ${got}.`,
    );
  }
  const properties = readProperties(yaml, fields.get("properties"));
  const secrets = readSecrets(yaml, fields.get("secrets"), env);
  for (const name of Object.keys(secrets)) {
    if (Object.hasOwn(properties, name)) {
      throw configError(
        yaml,
        section,
        `${shownName(name)} is set in both jobCache.properties and jobCache.secrets; keep it in secrets only.`,
      );
    }
  }
  return { protocol: protocol.trim(), properties, secrets };
}
