/**
 * Errors in the value format. They come back as the nearest built-in class (a `TypeError`
 * subclass as `TypeError`, a custom class as `Error`) because the decoder cannot know user
 * classes; the custom name, message, stack, cause and enumerable fields (`code`, ...) are kept.
 * @module
 */
import { types } from "node:util";
import { corrupt } from "./codec-failures.js";
import type { Json } from "./format.js";
import { propertyPath } from "./value-path.js";

type EncodeChild = (value: unknown, path: string) => Json;
type DecodeChild = (node: unknown, path: string) => unknown;

const BUILT_INS: Record<string, ErrorConstructor | AggregateErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  AggregateError,
};
const BUILT_IN_BY_PROTOTYPE = new Map<object, string>(
  Object.entries(BUILT_INS).map(([type, ctor]) => [ctor.prototype, type]),
);

/** Own properties of errors that the format stores in their own fields. */
const FIELDS = new Set(["message", "stack", "cause", "errors"]);

/** Whether `value` is an Error (also one from another realm). */
export function isError(value: object): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function builtInType(error: Error): string {
  for (let p = Object.getPrototypeOf(error); p !== null; p = Object.getPrototypeOf(p)) {
    const type = BUILT_IN_BY_PROTOTYPE.get(p);
    if (type !== undefined) return type;
  }
  return "Error";
}

/** The `v` of an `error` node. */
export function encodeError(error: Error, path: string, encodeChild: EncodeChild): Json {
  const type = builtInType(error);
  const v: Record<string, Json> = { type, name: String(error.name), message: String(error.message) };
  if (typeof error.stack === "string") v.stack = error.stack;
  if (Object.hasOwn(error, "cause")) v.cause = encodeChild(error.cause, `${path}.cause`);
  if (type === "AggregateError") v.errors = encodeChild((error as AggregateError).errors, `${path}.errors`);
  const props: Record<string, Json> = Object.create(null);
  let hasProps = false;
  for (const key of Object.keys(error)) {
    if (FIELDS.has(key)) continue;
    props[key] = encodeChild((error as unknown as Record<string, unknown>)[key], propertyPath(path, key));
    hasProps = true;
  }
  if (hasProps) v.props = props;
  return v;
}

function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

/** The error an `error` node's `v` describes. */
export function decodeError(v: unknown, path: string, decodeChild: DecodeChild): Error {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw corrupt(path, "an error without fields");
  const node = v as Record<string, unknown>;
  const { type, name, message, stack } = node;
  if (typeof type !== "string" || !Object.hasOwn(BUILT_INS, type)) {
    throw corrupt(path, `an error of unknown type ${JSON.stringify(type)}`);
  }
  if (typeof name !== "string" || typeof message !== "string") {
    throw corrupt(path, "an error without a string name and message");
  }
  if (stack !== undefined && typeof stack !== "string")
    throw corrupt(path, "an error whose stack is not a string");
  let error: Error;
  if (type === "AggregateError") {
    const errors = decodeChild(node.errors, `${path}.errors`);
    if (!Array.isArray(errors)) throw corrupt(path, "an AggregateError without an errors array");
    error = new AggregateError(errors, message);
  } else {
    error = new (BUILT_INS[type] as ErrorConstructor)(message);
  }
  if (name !== error.name) hidden(error, "name", name);
  if (stack === undefined) delete error.stack;
  else hidden(error, "stack", stack);
  if (Object.hasOwn(node, "cause")) hidden(error, "cause", decodeChild(node.cause, `${path}.cause`));
  const props = node.props;
  if (props !== undefined) {
    if (props === null || typeof props !== "object" || Array.isArray(props)) {
      throw corrupt(path, "error props that are not an object");
    }
    for (const [key, child] of Object.entries(props)) {
      const value = decodeChild(child, propertyPath(path, key));
      Object.defineProperty(error, key, { value, writable: true, enumerable: true, configurable: true });
    }
  }
  return error;
}
