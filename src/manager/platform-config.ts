/**
 * Loads a TRAC-style platform config file: the `jobCache:` section is checked and its secrets
 * resolved; every other section is kept as parsed, for the rest of the platform.
 * @module
 */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, type Pair } from "yaml";
import { ECacheConfig, EInvalidArgument } from "../base/errors.js";
import type { PlatformConfig } from "../base/types.js";
import { readJobCacheSection } from "./job-cache-section.js";
import { parseYaml } from "./yaml-source.js";

const EXAMPLE = "For example:\n  jobCache:\n    protocol: LOCAL";

/** The `jobCache` pair of the top-level map, with a hint when it is only spelled differently. */
function findSection(top: { items: Pair[] }, source: string): Pair {
  const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);
  const pair = top.items.find((item) => keyOf(item) === "jobCache");
  if (pair !== undefined) return pair;
  const near = top.items.map(keyOf).find((key) => typeof key === "string" && /^job_?cache$/i.test(key));
  const hint =
    near === undefined ? "" : ` (found ${JSON.stringify(String(near))}: the name is case-sensitive)`;
  throw new ECacheConfig(`${source}: no jobCache: section${hint}. Add one. ${EXAMPLE}`);
}

/**
 * Parses the text of a platform config; `env` supplies the values named in `jobCache.secrets`.
 * Pure (no file or process access), so tests can feed it text and a fake environment.
 * @param source the file name used in error messages
 * @throws ECacheConfig for malformed YAML, a missing `jobCache:` section, a wrong type or a
 *   missing environment variable, with `file:line:column` where there is one
 * @example
 * const config = parsePlatformConfig("jobCache:\n  protocol: LOCAL\n", "inline", {});
 * config.jobCache.protocol; // "LOCAL"
 */
export function parsePlatformConfig(text: string, source: string, env: NodeJS.ProcessEnv): PlatformConfig {
  const yaml = parseYaml(text, source);
  const top = yaml.doc.contents;
  if (top === null || (isScalar(top) && top.value === null)) {
    throw new ECacheConfig(`${source} is empty; a platform config needs a jobCache: section. ${EXAMPLE}`);
  }
  if (!isMap(top)) {
    throw new ECacheConfig(`${source} must be a YAML map of sections (such as jobCache:). ${EXAMPLE}`);
  }
  const jobCache = readJobCacheSection(yaml, findSection(top, source).value, env);
  let parsed: unknown;
  try {
    parsed = yaml.doc.toJS();
  } catch (error) {
    // e.g. an alias to an anchor that is not defined: only found when values are built
    const reason = error instanceof Error ? error.message : String(error);
    throw new ECacheConfig(`${source}: ${reason}. Fix the YAML of ${source}.`, { cause: error });
  }
  return { ...(parsed as Record<string, unknown>), jobCache };
}

/** A readable reason for a failed file read, e.g. "no such file or directory (ENOENT)". */
function osReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (typeof code !== "string") return String(message ?? error);
  // Node's message is "ENOENT: no such file or directory, open '/x'": keep the middle part
  const text = String(message)
    .replace(`${code}: `, "")
    .replace(/, \w+( '.*')?$/, "");
  return `${text} (${code})`;
}

/**
 * Reads and parses a platform config file, resolving secrets from `process.env`.
 * @throws ECacheConfig when the file cannot be read (with the OS reason) or is not a valid config
 * @example
 * const config = await loadPlatformConfig("etc/platform.yaml");
 * const manager = await createJobCacheManager(config.jobCache);
 */
export async function loadPlatformConfig(path: string): Promise<PlatformConfig> {
  if (typeof path !== "string" || path === "") {
    throw new EInvalidArgument("path", "loadPlatformConfig needs the path of a YAML file");
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ECacheConfig(
      `cannot read platform config file ${path}: ${osReason(error)}. Check the path and its permissions.`,
      { cause: error },
    );
  }
  return parsePlatformConfig(text, path, process.env);
}
