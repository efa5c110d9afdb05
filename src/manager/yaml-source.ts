/**
 * Where a YAML node came from, for error messages that point at `file:line:column`.
 * @module
 */
import {
  type Document,
  isAlias,
  isScalar,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
} from "yaml";
import { ECacheConfig } from "../base/errors.js";

/** A parsed YAML file plus what is needed to say where each node sits in it. */
export interface YamlSource {
  /** The file name (or any label) used in messages. */
  readonly source: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** YAML parse errors carry `linePos`; we print them as `file:line:column`. */
function firstLine(message: string): string {
  const line = message.split("\n", 1)[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * The first key that appears twice in one map, in one pass over the document. The yaml library's
 * own check (`uniqueKeys`) compares each key with every earlier one of its map: a config section of
 * 60,000 keys (4 MB) took minutes to parse, and now takes seconds.
 */
function duplicateKey(doc: Document.Parsed): Pair | undefined {
  let found: Pair | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items as Pair[]) {
        // scalars compare by value, as the library does (`a` and "a" are one key); others by node
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          found = pair;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Parses `text` as one YAML document. Malformed YAML fails with `ECacheConfig` naming the line and
 * column. The offending line itself is not quoted: it might hold a password.
 */
export function parseYaml(text: string, source: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  const duplicate = doc.errors.length === 0 ? duplicateKey(doc) : undefined;
  if (duplicate !== undefined) {
    const offset = (duplicate.key as Node | null)?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    const name = isScalar(duplicate.key) ? ` ${JSON.stringify(String(duplicate.key.value))}` : "";
    throw new ECacheConfig(
      `${source}:${line}:${col}: malformed YAML: map keys must be unique (the key${name} appears twice). ` +
        `Fix the YAML syntax at line ${line}, column ${col} of ${source}.`,
    );
  }
  const [error, ...more] = doc.errors;
  if (error !== undefined) {
    const pos = error.linePos?.[0];
    const where = pos === undefined ? source : `${source}:${pos.line}:${pos.col}`;
    const also = more.length > 0 ? ` (and ${more.length} more problem${more.length > 1 ? "s" : ""})` : "";
    const at = pos === undefined ? "" : ` at line ${pos.line}, column ${pos.col}`;
    throw new ECacheConfig(
      `${where}: malformed YAML: ${firstLine(error.message)}${also}. Fix the YAML syntax${at} of ${source}.`,
      { cause: error },
    );
  }
  return { source, doc, lines };
}

/** `file:line:column` of a node, or just `file` when the node has no position. */
function locate(yaml: YamlSource, node: unknown): string {
  const offset = (node as Node | undefined)?.range?.[0];
  if (offset === undefined) return yaml.source;
  const { line, col } = yaml.lines.linePos(offset);
  return `${yaml.source}:${line}:${col}`;
}

/** Follows an alias (`*name`) to the node it stands for. */
export function resolveNode(yaml: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(yaml.doc) : node;
}

/** A config error pointing at `node`: `file:line:column: message`. */
export function configError(yaml: YamlSource, node: unknown, message: string): ECacheConfig {
  return new ECacheConfig(`${locate(yaml, node)}: ${message}`);
}
