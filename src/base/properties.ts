/**
 * Typed readers over a plugin's `properties` map, for plugins to check every setting before their
 * first connection, with messages that name the property and the form expected.
 * @module
 */
import { ECacheConfig } from "./errors.js";
import { looksSecret } from "./redaction.js";

/** A plugin's `properties` (all values are strings, as in a platform config). */
export type Properties = Readonly<Record<string, string>> | undefined;

/** The property's value with surrounding blanks removed, or `undefined` if unset or blank. */
function read(props: Properties, name: string): string | undefined {
  if (props === undefined || !Object.hasOwn(props, name)) return undefined;
  const value = props[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function invalid(name: string, expected: string, value: string): ECacheConfig {
  const got = looksSecret(name) ? "" : `, got ${JSON.stringify(value)}`;
  return new ECacheConfig(`jobCache.properties.${name} must be ${expected}${got}. Fix it in the config.`);
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
    throw new ECacheConfig(
      `jobCache.properties.${name} is required for protocol ${protocol}; set it under jobCache.properties.`,
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
