/** Paths for messages, written as JavaScript would reach the value: `value.a.b[2]`. @module */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of property `key` of the value at `path`. */
export function propertyPath(path: string, key: PropertyKey): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (typeof key === "symbol") return `${path}[${key.toString()}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
