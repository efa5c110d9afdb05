import { describe, expect, it } from "vitest";
import { ECacheCorruption } from "../../../src/base/errors.js";
import { roundTrip } from "./round-trip.js";

describe("default codec round-trips errors", () => {
  it.each([Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError])(
    "%o as the same built-in class, with name, message and stack",
    (ctor) => {
      const error = new ctor("went wrong");
      const decoded = roundTrip(error);
      expect(Object.getPrototypeOf(decoded)).toBe(ctor.prototype);
      expect(decoded.name).toBe(error.name);
      expect(decoded.message).toBe("went wrong");
      expect(decoded.stack).toBe(error.stack);
      expect(decoded).toStrictEqual(error);
      expect(Object.keys(decoded)).toEqual([]);
    },
  );

  it("AggregateError with its errors", () => {
    const error = new AggregateError([new TypeError("a"), "not an error", 3], "several");
    const decoded = roundTrip(error);
    expect(decoded).toBeInstanceOf(AggregateError);
    expect(decoded.errors[0]).toBeInstanceOf(TypeError);
    expect(decoded.errors).toStrictEqual(error.errors);
    expect(decoded.message).toBe("several");
  });

  it("cause, recursively, and a cause of any value", () => {
    const error = new Error("outer", {
      cause: new TypeError("middle", { cause: { code: 7, at: new Date(1) } }),
    });
    const decoded = roundTrip(error);
    const middle = decoded.cause as TypeError;
    expect(middle).toBeInstanceOf(TypeError);
    expect(middle.message).toBe("middle");
    expect(middle.stack).toBe((error.cause as Error).stack);
    expect(middle.cause).toStrictEqual({ code: 7, at: new Date(1) });
  });

  it("an own cause of undefined stays present; no cause stays absent", () => {
    expect(Object.hasOwn(roundTrip(new Error("x", { cause: undefined })), "cause")).toBe(true);
    expect(Object.hasOwn(roundTrip(new Error("x")), "cause")).toBe(false);
  });

  it("a subclass of a built-in as that built-in, its custom name kept", () => {
    class RetryError extends TypeError {
      override name = "RetryError";
    }
    const decoded = roundTrip(new RetryError("retry later"));
    expect(Object.getPrototypeOf(decoded)).toBe(TypeError.prototype);
    expect(decoded.name).toBe("RetryError");
    expect(decoded.message).toBe("retry later");
  });

  it("a custom class with a prototype name as Error with that name", () => {
    class JobFailed extends Error {}
    Object.defineProperty(JobFailed.prototype, "name", { value: "JobFailed" });
    const decoded = roundTrip(new JobFailed("nope"));
    expect(Object.getPrototypeOf(decoded)).toBe(Error.prototype);
    expect(decoded.name).toBe("JobFailed");
    expect(String(decoded)).toBe("JobFailed: nope");
  });

  it("own enumerable fields such as code, and the cache's own errors' facts", () => {
    const error = Object.assign(new Error("ENOENT: no such file"), {
      code: "ENOENT",
      errno: -2,
      extra: undefined,
    });
    const decoded = roundTrip(error);
    expect(decoded).toStrictEqual(error);
    expect(decoded.code).toBe("ENOENT");
    expect(Object.hasOwn(decoded, "extra")).toBe(true);

    const cacheError = roundTrip(
      new ECacheCorruption("bad", { cacheName: "jobs", key: "k", cause: new Error("c") }),
    );
    expect(cacheError.name).toBe("ECacheCorruption");
    expect(cacheError).toMatchObject({ cacheName: "jobs", key: "k", revision: undefined });
    expect((cacheError.cause as Error).message).toBe("c");
  });

  it("an error without a stack as one without a stack", () => {
    const error = new Error("no stack");
    delete error.stack;
    expect(roundTrip(error).stack).toBeUndefined();
  });

  it("errors nested in objects, arrays, maps and sets", () => {
    const value = {
      list: [new URIError("u")],
      map: new Map([["e", new SyntaxError("s")]]),
      set: new Set([new Error("e")]),
    };
    expect(roundTrip(value)).toStrictEqual(value);
  });
});
