import { describe, expect, it } from "vitest";
import { ECacheCorruption } from "../../../src/base/errors.js";
import { defaultCodec } from "../../../src/codec/value-codec.js";

function decodeError(text: string): ECacheCorruption {
  try {
    defaultCodec.decode(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ECacheCorruption);
    return error as ECacheCorruption;
  }
  throw new Error("decode did not throw");
}

const v1 = (node: string) => `{"jobcache":1,"value":${node}}`;

describe("decode rejects text that is not the stored format", () => {
  it("text that is not JSON, with the parser's error as cause", () => {
    const error = decodeError('{"jobcache":1,"value":');
    expect(error.message).toMatch(/^cannot decode the stored value: text that is not valid JSON/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each(["", "null", "[]", '"text"', '{"jobcache":1}', '{"value":1}', "42"])(
    "JSON without the wrapper: %s",
    (text) => {
      expect(decodeError(text).message).toMatch(/not (valid JSON|a jobcache value)/);
    },
  );

  it.each(['{"jobcache":2,"value":1}', '{"jobcache":"1","value":1}', '{"jobcache":0,"value":1}'])(
    "an unknown version: %s",
    (text) => {
      const error = decodeError(text);
      expect(error.message).toContain("format version");
      expect(error.message).toContain("reads version 1");
    },
  );

  it("an unknown tag, with its path", () => {
    const error = decodeError(v1('{"a":[1,{"b":{"$t":"regexp","v":"x"}}]}'));
    expect(error.message).toContain('unknown tag "regexp"');
    expect(error.message).toContain("at value.a[1].b");
  });

  it.each<[string, string, string]>([
    ["a non-string tag", '{"$t":7}', "unknown tag 7"],
    ["a bad special number", '{"$t":"number","v":"1e3"}', 'special number "1e3"'],
    ["a bad bigint", '{"$t":"bigint","v":"12.5"}', 'bigint "12.5"'],
    ["a bigint that is a number", '{"$t":"bigint","v":12}', "bigint 12"],
    ["a bad date", '{"$t":"date","v":"yesterday"}', 'date "yesterday"'],
    ["bad base64 bytes", '{"$t":"bytes","v":"a!b="}', "not a base64 string"],
    ["a buffer without data", '{"$t":"buffer"}', "not a base64 string"],
    ["a map that is not an array", '{"$t":"map","v":{}}', '"map" node whose "v" is not an array'],
    [
      "a map entry that is not a pair",
      '{"$t":"map","v":[[1]]}',
      "map entry that is not a pair at value[Map entry 0]",
    ],
    ["a set that is not an array", '{"$t":"set","v":1}', '"set" node whose "v" is not an array'],
    [
      "an escaped object that is not an object",
      '{"$t":"object","v":[]}',
      '"object" node whose "v" is not an object',
    ],
    ["a hole outside an array", '{"a":{"$t":"hole"}}', "hole outside an array at value.a"],
    ["a sparse array of negative length", '{"$t":"sparse","v":{"length":-1,"items":[]}}', "length -1"],
    ["a sparse array too long", '{"$t":"sparse","v":{"length":4294967296,"items":[]}}', "length 4294967296"],
    [
      "a sparse item past the length",
      '{"$t":"sparse","v":{"length":2,"items":[[2,1]]}}',
      "increasing index order",
    ],
    [
      "sparse items out of order",
      '{"$t":"sparse","v":{"length":9,"items":[[3,1],[1,1]]}}',
      "increasing index order",
    ],
    ["sparse items that are not an array", '{"$t":"sparse","v":{"length":2}}', '"sparse" node'],
    ["an error without fields", '{"$t":"error","v":"boom"}', "error without fields"],
    [
      "an error of unknown type",
      '{"$t":"error","v":{"type":"MyError","name":"x","message":"m"}}',
      'unknown type "MyError"',
    ],
    [
      "an error without a message",
      '{"$t":"error","v":{"type":"Error","name":"Error"}}',
      "string name and message",
    ],
    [
      "an error with a bad stack",
      '{"$t":"error","v":{"type":"Error","name":"E","message":"m","stack":1}}',
      "stack",
    ],
    [
      "an AggregateError without errors",
      '{"$t":"error","v":{"type":"AggregateError","name":"A","message":"m"}}',
      "errors array",
    ],
    [
      "error props that are not an object",
      '{"$t":"error","v":{"type":"Error","name":"E","message":"m","props":[1]}}',
      "props",
    ],
    ["a bad node deep in a map", '{"$t":"map","v":[[1,{"$t":"nope"}]]}', "at value[Map entry 0 value]"],
    [
      "a bad node in error props",
      '{"$t":"error","v":{"type":"Error","name":"E","message":"m","props":{"k":{"$t":"?"}}}}',
      "at value.k",
    ],
  ])("%s", (_, node, message) => {
    expect(decodeError(v1(node)).message).toContain(message);
  });

  it("a value too deeply nested to rebuild, with the cause", () => {
    const depth = 200_000;
    const error = decodeError(v1(`${"[".repeat(depth)}${"]".repeat(depth)}`));
    expect(error.cause).toBeDefined();
  });
});
