/**
 * Typed readers over a plugin's `properties` map, for plugins to check every setting before their
 * first connection, with messages that name the property and the form expected.
 * @module
 */
import { ECacheConfig } from "./errors.js";
import { looksSecret } from "./redaction.js";

/**
 * A plugin's `properties`: strings, as in a platform config; numbers and booleans given from code
 * (`autoDeploy: true`, `pool.size: 10`) are read as their string forms, as YAML loading reads them.
 */
export type Properties = Readonly<Record<string, string | number | boolean>> | undefined;

/** A property value as text: strings as they are, finite numbers and booleans as written. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The property's value with surrounding blanks removed, or `undefined` if unset or blank. */
function read(props: Properties, name: string): string | undefined {
  if (props === undefined || !Object.hasOwn(props, name)) return undefined;
  const value = textOf(props[name]);
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/** A user-given name as printed: quoted, so a control character or trailing blank shows. */
export function quoteName(name: string): string {
  return JSON.stringify(name);
}

/**
 * `jobCache.<section>.<name>` for messages: a plain name as it is (`jobCache.properties.pool.size`),
 * any other quoted so every character shows (`jobCache.properties."pool.size\u0000"`).
 */
export function propertyPath(name: string, section: "properties" | "secrets" = "properties"): string {
  return `jobCache.${section}.${shownName(name)}`;
}

/** A plain name (letters, digits, `_ . -`) as it is; any other quoted so every character shows. */
export function shownName(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : quoteName(name);
}

/**
 * The properties as strings: numbers and booleans become their string forms, `null` and
 * `undefined` count as unset.
 * @throws ECacheConfig naming a property whose value is an object, array, function or symbol
 * @example
 * propertyStrings({ "pool.size": 10, autoDeploy: true }); // { "pool.size": "10", autoDeploy: "true" }
 */
export function propertyStrings(props: unknown): Record<string, string> {
  if (props === undefined || props === null) return {};
  if (typeof props !== "object" || Array.isArray(props)) {
    throw new ECacheConfig("jobCache.properties must be an object of property names to values.");
  }
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    const text = textOf(value);
    if (text === undefined) {
      const kind = Array.isArray(value)
        ? "a list"
        : typeof value === "number"
          ? String(value)
          : `a ${typeof value}`;
      throw new ECacheConfig(
        `jobCache.properties.${quoteName(name)} must be a string, a finite number or a boolean, got ${kind}.`,
      );
    }
    entries.push([name, text]);
  }
  return Object.fromEntries(entries);
}

/** Levenshtein distance, case-insensitive: `jdbcURL` is 0 from `jdbcUrl`, `pool.sise` 1 from `pool.size`. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[y.length] ?? 0;
}

/** The known name closest to `name`, if it is near enough to be a typo of it. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate.endsWith(".*")) continue;
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/**
 * Fails on a property (or secret) name the protocol does not read, so a typo cannot pass
 * silently. A known name ending in `.*` keeps its whole prefix open (driver options).
 * @param where what reads the names, for the message: `protocol JDBC, dialect POSTGRESQL`
 * @throws ECacheConfig naming the unknown property, the nearest known name and the known ones
 * @example
 * checkKnownProperties({ "pool.sise": "3" }, ["pool.size"], "protocol JDBC"); // did you mean "pool.size"?
 */
export function checkKnownProperties(
  props: Readonly<Record<string, unknown>> | undefined,
  known: readonly string[],
  where: string,
  section: "properties" | "secrets" = "properties",
): void {
  const open = known.filter((name) => name.endsWith(".*")).map((name) => name.slice(0, -1));
  for (const name of Object.keys(props ?? {})) {
    if (known.includes(name) || open.some((prefix) => name.startsWith(prefix))) continue;
    const near = nearestName(name, known);
    const hint = near === undefined ? "" : ` Did you mean ${quoteName(near)}?`;
    throw new ECacheConfig(
      `Unknown property jobCache.${section}.${quoteName(name)} for ${where}.${hint} ` +
        `Known properties: ${known.join(", ")}.`,
    );
  }
}

function invalid(name: string, expected: string, value: string): ECacheConfig {
  const got = looksSecret(name) ? "" : `, got ${JSON.stringify(value)}`;
  return new ECacheConfig(`${propertyPath(name)} must be ${expected}${got}. Fix it in the config.`);
}

/**
 * A property the protocol cannot work without.
 * @throws ECacheConfig "jobCache.properties.<name> is required for protocol <protocol>" when unset or blank
 * @example
 * const dialect = requireProperty(config.properties, "dialect", "JDBC");
 */
export function requireProperty(props: Properties, name: string, protocol: string): string {
  const value = read(props, name);
  if (value === undefined) {
    const names = Object.keys(props ?? {}).filter((key) => key !== name);
    const near = names.find((key) => nearestName(key, [name]) !== undefined);
    const found = near === undefined ? "" : ` (found ${quoteName(near)}: did you mean ${quoteName(name)}?)`;
    throw new ECacheConfig(
      `jobCache.properties.${name} is required for protocol ${protocol}${found}; set it under jobCache.properties.`,
    );
  }
  return value;
}

/** An optional string property; blank counts as unset. */
export function optionalString(props: Properties, name: string): string | undefined {
  return read(props, name);
}

/** Limits and default of {@link optionalInt}. */
export interface IntOptions {
  /** Smallest value accepted. @defaultValue no limit */
  min?: number;
  /** Largest value accepted. @defaultValue no limit */
  max?: number;
  /** Used when the property is unset. */
  default: number;
}

/**
 * An optional whole-number property within `[min, max]`.
 * @throws ECacheConfig naming the property and the range when it is not a whole number in range
 * @example
 * const poolSize = optionalInt(props, "pool.size", { min: 1, max: 100, default: 10 });
 */
export function optionalInt(props: Properties, name: string, options: IntOptions): number {
  const text = read(props, name);
  if (text === undefined) return options.default;
  const { min, max } = options;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : "";
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  const inRange = (min === undefined || value >= min) && (max === undefined || value <= max);
  if (!Number.isSafeInteger(value) || !inRange) throw invalid(name, `a whole number${range}`, text);
  return value;
}

/** Choices and default of {@link optionalEnum}. */
export interface EnumOptions<T extends string> {
  /** The accepted values, matched case-insensitively; the value returned is spelled as here. */
  values: readonly T[];
  /** Used when the property is unset. */
  default: T;
}

/**
 * An optional property with a fixed set of values, matched case-insensitively.
 * @example
 * const sync = optionalEnum(props, "sqlite.synchronous", { values: ["FULL", "NORMAL"], default: "FULL" });
 */
export function optionalEnum<const T extends string>(
  props: Properties,
  name: string,
  options: EnumOptions<T>,
): T {
  const text = read(props, name);
  if (text === undefined) return options.default;
  const found = options.values.find((value) => value.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw invalid(name, `one of ${options.values.join(", ")}`, text);
  return found;
}

const TRUE = new Set(["true", "yes", "on", "1"]);
const FALSE = new Set(["false", "no", "off", "0"]);

/**
 * An optional yes/no property: true/false, yes/no, on/off or 1/0, in any case.
 * @example
 * const ssl = optionalBool(props, "ssl", { default: false });
 */
export function optionalBool(props: Properties, name: string, options: { default: boolean }): boolean {
  const text = read(props, name);
  if (text === undefined) return options.default;
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw invalid(name, "true or false (or yes/no, on/off, 1/0)", text);
}
