/**
 * Small readers over YAML nodes for config checks: text of a scalar, pairs of a map, and words
 * for "expected X, got Y".
 * @module
 */
import { isMap, isScalar, isSeq, type Pair } from "yaml";
import { configError, resolveNode, type YamlSource } from "./yaml-source.js";

/** What a node is, in words, for "expected X, got Y". */
export function describeNode(node: unknown): string {
  if (isMap(node)) return "a map";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return node.value === null ? "nothing" : `a ${typeof node.value}`;
  return "nothing";
}

/** The scalar's text: the value for strings, the source text for numbers and booleans. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const { value } = node;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return typeof node.source === "string" ? node.source : String(value);
  }
  return undefined;
}

/** Where to point for a bad value: the value itself, or its key when the value is empty. */
export function valueSite(pair: Pair, valueNode: unknown): unknown {
  const empty =
    valueNode === undefined || valueNode === null || (isScalar(valueNode) && valueNode.value === null);
  return empty ? pair.key : valueNode;
}

/** The pairs of an optional map section; `undefined` or an empty `key:` means no entries. */
export function pairsOf(yaml: YamlSource, node: unknown, path: string, expected: string): Pair[] {
  const resolved = resolveNode(yaml, node);
  if (resolved === undefined || resolved === null) return [];
  if (isScalar(resolved) && resolved.value === null) return [];
  if (!isMap(resolved)) {
    throw configError(yaml, resolved, `${path} must be a map of ${expected}, got ${describeNode(resolved)}.`);
  }
  return resolved.items as Pair[];
}

/** A map key as a string (YAML allows numbers and booleans as keys too). */
export function keyText(yaml: YamlSource, pair: Pair, path: string): string {
  const key = scalarText(resolveNode(yaml, pair.key));
  if (key === undefined || key === "") {
    throw configError(
      yaml,
      pair.key,
      `${path} has a key that is not a plain name; use names like pool.size.`,
    );
  }
  return key;
}
