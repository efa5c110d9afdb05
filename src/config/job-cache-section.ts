/**
 * Reads the `jobCache:` section of a platform config from its YAML nodes (not from plain JS), so
 * every message can point at the line, and numbers keep the text they were written as
 * (`ratio: 1.10` stays "1.10").
 * @module
 */
import { isMap, isScalar, isSeq, type Pair } from "yaml";
import type { PluginConfig } from "../types.js";
import { configError, resolveNode, type YamlSource } from "./yaml-source.js";

const SECTION_KEYS = ["protocol", "properties", "secrets"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What a node is, in words, for "expected X, got Y". */
function describe(node: unknown): string {
  if (isMap(node)) return "a map";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return node.value === null ? "nothing" : `a ${typeof node.value}`;
  return "nothing";
}

/** The scalar's text: the value for strings, the source text for numbers and booleans. */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const { value } = node;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return typeof node.source === "string" ? node.source : String(value);
  }
  return undefined;
}

/** The pairs of an optional map section; `undefined` or an empty `key:` means no entries. */
function pairsOf(yaml: YamlSource, node: unknown, path: string, expected: string): Pair[] {
  const resolved = resolveNode(yaml, node);
  if (resolved === undefined || resolved === null) return [];
  if (isScalar(resolved) && resolved.value === null) return [];
  if (!isMap(resolved)) {
    throw configError(yaml, resolved, `${path} must be a map of ${expected}, got ${describe(resolved)}.`);
  }
  return resolved.items as Pair[];
}

/** A map key as a string (YAML allows numbers and booleans as keys too). */
function keyText(yaml: YamlSource, pair: Pair, path: string): string {
  const key = scalarText(resolveNode(yaml, pair.key));
  if (key === undefined || key === "") {
    throw configError(yaml, pair.key, `${path} has a key that is not a plain name; use names like pool.size.`);
  }
  return key;
}

function readProperties(yaml: YamlSource, node: unknown): Record<string, string> {
  const entries = pairsOf(yaml, node, "jobCache.properties", "property names to values").map((pair) => {
    const name = keyText(yaml, pair, "jobCache.properties");
    const valueNode = resolveNode(yaml, pair.value);
    const value = scalarText(valueNode);
    if (value === undefined) {
      throw configError(
        yaml,
        valueNode ?? pair.key,
        `jobCache.properties.${name} must be a single value (a string, number or boolean), ` +
          `got ${describe(valueNode)}. Give it a value, or remove the line.`,
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
        valueNode ?? pair.key,
        `jobCache.secrets.${name} must name the environment variable that holds the secret ` +
          `(letters, digits and _, e.g. JOBCACHE_DB_PASSWORD), got ${describe(valueNode)}.`,
      );
    }
    const value = env[variable];
    if (value === undefined) {
      throw configError(
        yaml,
        valueNode,
        `environment variable ${variable} is not set; jobCache.secrets.${name} reads its value from it. ` +
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
      `jobCache must be a map with protocol, properties and secrets, got ${describe(section)}. ` +
        "For example:\n  jobCache:\n    protocol: LOCAL",
    );
  }
  const fields = new Map<string, unknown>();
  for (const pair of section.items as Pair[]) {
    const key = keyText(yaml, pair, "jobCache");
    if (!SECTION_KEYS.includes(key)) {
      throw configError(yaml, pair.key, `unknown key jobCache.${key}; expected ${SECTION_KEYS.join(", ")}.`);
    }
    fields.set(key, pair.value);
  }
  const protocolNode = resolveNode(yaml, fields.get("protocol"));
  const protocol = isScalar(protocolNode) ? protocolNode.value : undefined;
  if (typeof protocol !== "string" || protocol.trim() === "") {
    const got = protocolNode === undefined ? "no protocol" : describe(protocolNode);
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
        `${name} is set in both jobCache.properties and jobCache.secrets; keep it in secrets only.`,
      );
    }
  }
  return { protocol: protocol.trim(), properties, secrets };
}
