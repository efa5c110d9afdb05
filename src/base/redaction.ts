/**
 * Keeps secrets out of printed configs, errors and logs ("Passwords never appear in errors or
 * logs", CONTRACT.md). Redaction errs on the side of hiding: a property that merely looks secret
 * is hidden too.
 * @module
 */
import type { PlatformConfig, PluginConfig } from "./types.js";

/** What every hidden value is replaced by. */
export const REDACTED = "***";

/** Last words of a property name that mark its value as secret: `postgresql.password`, `apiKey`. */
const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "token",
  "key",
  "apikey",
  "privatekey",
  "secretkey",
  "accesskey",
  "credential",
  "credentials",
]);

/**
 * Whether a property name looks like it holds a secret. Only the last word counts, so
 * `postgresql.password` and `secretKey` are secret but `secret.type` and `token.ttl` are not.
 */
export function looksSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
  const last = words.at(-1)?.toLowerCase();
  return last !== undefined && SECRET_WORDS.has(last);
}

/**
 * The password part of a URL's authority, read as the WHATWG URL parser (and so pg-connection-string,
 * the reader that connects) reads it: the user runs to the first `:`, the password to the last `@`
 * before the path, so `//u:p@ss@h/db` hides `p@ss` whole. The scheme is optional: TRAC writes
 * `jdbcUrl: //user:secret@host:5432/db`.
 */
const URL_PASSWORD = /((?<![\w/.+-])(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s:/?#]*):[^\s/?#]*@/gi;
const QUERY_PASSWORD = /([?&;](?:password|passwd|pwd|secret|token)=)[^&;#\s]*/gi;

/**
 * Hides the password of any URL in `text`, the forms the library accepts included:
 * `postgres://u:pass@h/db` -> `postgres://u:***@h/db`, `//u:pass@h/db` -> `//u:***@h/db`, `?password=x`.
 * For a config's own URL properties prefer the reader that connects (its `redacted` form).
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${REDACTED}@`).replace(QUERY_PASSWORD, `$1${REDACTED}`);
}

/**
 * A value as printed: hidden when its name (or an enclosing map's name) looks secret; URL
 * passwords are always hidden.
 */
function redactValue(name: string, value: unknown, inSecret = false): unknown {
  const secret = inSecret || looksSecret(name);
  if (secret && value !== "" && value !== null && typeof value !== "object") return REDACTED;
  if (typeof value === "string") return redactUrlCredentials(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(name, item, secret));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([key, item]) => [key, redactValue(key, item, secret)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * A copy of a plugin config with every secret and secret-looking property replaced by `***`.
 * `printable` gives properties as their plugin prints them (a URL with its password hidden by the
 * same parser that connects); they replace the values as written.
 */
function redactPluginConfig(
  config: PluginConfig,
  printable: Readonly<Record<string, string>> = {},
): PluginConfig {
  const redacted: PluginConfig = { protocol: config.protocol };
  if (config.properties !== undefined) {
    const properties = { ...config.properties, ...printable };
    redacted.properties = redactValue("properties", properties) as Record<string, string>;
  }
  if (config.secrets !== undefined) {
    redacted.secrets = Object.fromEntries(Object.keys(config.secrets).map((name) => [name, REDACTED]));
  }
  return redacted;
}

/**
 * A copy of a platform config safe to print: `jobCache` secrets and secret-looking properties are
 * `***`, URL passwords are hidden, and other sections get the same treatment by key name.
 * `printable`: as for {@link redactPluginConfig}.
 * @example
 * redactConfig(config).jobCache.secrets; // { "postgresql.password": "***" }
 */
export function redactConfig(
  config: PlatformConfig,
  printable: Readonly<Record<string, string>> = {},
): PlatformConfig {
  // section by section, so the copy keeps the file's order of sections
  const sections = Object.entries(config).map(([name, section]) => [
    name,
    name === "jobCache" ? redactPluginConfig(section as PluginConfig, printable) : redactValue(name, section),
  ]);
  return Object.fromEntries(sections) as PlatformConfig;
}
