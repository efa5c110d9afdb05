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

/** `scheme://user:password@host` and `?password=x` parameters, as found in connection URLs. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s@/?#]*@/gi;
const QUERY_PASSWORD = /([?&;](?:password|passwd|pwd|secret|token)=)[^&;#\s]*/gi;

/** Hides the password of any URL in `text`: `postgres://u:pass@h/db` -> `postgres://u:***@h/db`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${REDACTED}@`).replace(QUERY_PASSWORD, `$1${REDACTED}`);
}

/**
 * Replaces every occurrence of the given secret strings (also URL-encoded, as they appear inside
 * connection URLs) and every URL password in `text` by `***`.
 * @example
 * redactText("login failed for s3cret", ["s3cret"]); // "login failed for ***"
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret === "") continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  // longest first, so a secret that contains another is hidden whole
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(REDACTED);
  }
  return redactUrlCredentials(result);
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

/** A copy of a plugin config with every secret and secret-looking property replaced by `***`. */
export function redactPluginConfig(config: PluginConfig): PluginConfig {
  const redacted: PluginConfig = { protocol: config.protocol };
  if (config.properties !== undefined) {
    redacted.properties = redactValue("properties", config.properties) as Record<string, string>;
  }
  if (config.secrets !== undefined) {
    redacted.secrets = Object.fromEntries(Object.keys(config.secrets).map((name) => [name, REDACTED]));
  }
  return redacted;
}

/**
 * A copy of a platform config safe to print: `jobCache` secrets and secret-looking properties are
 * `***`, URL passwords are hidden, and other sections get the same treatment by key name.
 * @example
 * redactConfig(config).jobCache.secrets; // { "postgresql.password": "***" }
 */
export function redactConfig(config: PlatformConfig): PlatformConfig {
  // section by section, so the copy keeps the file's order of sections
  const sections = Object.entries(config).map(([name, section]) => [
    name,
    name === "jobCache" ? redactPluginConfig(section as PluginConfig) : redactValue(name, section),
  ]);
  return Object.fromEntries(sections) as PlatformConfig;
}

/**
 * Every value in a plugin config that must not be shown: secrets, secret-looking properties and
 * URL passwords. Feed it to {@link redactText} before logging driver errors.
 */
export function secretValues(config: PluginConfig): string[] {
  const values = Object.values(config.secrets ?? {});
  for (const [name, value] of Object.entries(config.properties ?? {})) {
    if (looksSecret(name)) values.push(value);
    for (const match of value.matchAll(/:\/\/[^\s:/?#@]*:([^\s@/?#]*)@/g)) {
      if (match[1] !== undefined) values.push(decodeURIComponentSafe(match[1]), match[1]);
    }
  }
  return [...new Set(values.filter((value) => value !== ""))];
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
