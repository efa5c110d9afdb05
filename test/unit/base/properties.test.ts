import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../../src/base/errors.js";
import {
  checkKnownProperties,
  nearestName,
  optionalBool,
  optionalEnum,
  optionalInt,
  optionalString,
  propertyStrings,
  requireProperty,
} from "../../../src/base/properties.js";

const PROPS = {
  dialect: " postgresql ",
  "pool.size": "10",
  blank: "  ",
  ssl: "YES",
  big: "99999999999999999999",
  "db.password": "hunter2",
};

describe("requireProperty", () => {
  it("returns the trimmed value", () => {
    expect(requireProperty(PROPS, "dialect", "JDBC")).toBe("postgresql");
  });

  it("names the property and the protocol when unset or blank", () => {
    for (const name of ["jdbcUrl", "blank"]) {
      expect(() => requireProperty(PROPS, name, "JDBC")).toThrow(ECacheConfig);
      expect(() => requireProperty(PROPS, name, "JDBC")).toThrow(
        `jobCache.properties.${name} is required for protocol JDBC`,
      );
    }
    expect(() => requireProperty(undefined, "dialect", "SQL")).toThrow(
      /dialect is required for protocol SQL/,
    );
  });

  it("does not see inherited names", () => {
    expect(() => requireProperty(PROPS, "toString", "JDBC")).toThrow(ECacheConfig);
  });
});

describe("optionalString", () => {
  it("is undefined when unset or blank", () => {
    expect(optionalString(PROPS, "blank")).toBeUndefined();
    expect(optionalString(PROPS, "pool.size")).toBe("10");
  });
});

describe("optionalInt", () => {
  const range = { min: 1, max: 100, default: 5 };

  it("parses whole numbers and falls back to the default", () => {
    expect(optionalInt(PROPS, "pool.size", range)).toBe(10);
    expect(optionalInt(PROPS, "absent", range)).toBe(5);
    expect(optionalInt({ n: "-3" }, "n", { default: 0 })).toBe(-3);
  });

  it("names the property and the range expected", () => {
    expect(() => optionalInt({ n: "0" }, "n", range)).toThrow(
      'jobCache.properties.n must be a whole number from 1 to 100, got "0"',
    );
    expect(() => optionalInt({ n: "1.5" }, "n", { min: 1, default: 1 })).toThrow(/of at least 1, got "1.5"/);
    expect(() => optionalInt({ n: "1e3" }, "n", { max: 9, default: 1 })).toThrow(/of at most 9, got "1e3"/);
    expect(() => optionalInt(PROPS, "big", { default: 1 })).toThrow(/must be a whole number, got/);
  });

  it("does not echo the value of a secret-looking property", () => {
    expect(() => optionalInt(PROPS, "db.password", range)).toThrow(/db\.password must be a whole number/);
    expect(() => optionalInt(PROPS, "db.password", range)).not.toThrow(/hunter2/);
  });
});

describe("optionalEnum", () => {
  const dialects = { values: ["SQLITE", "POSTGRESQL", "MYSQL"], default: "SQLITE" } as const;

  it("matches case-insensitively and returns the canonical spelling", () => {
    expect(optionalEnum(PROPS, "dialect", dialects)).toBe("POSTGRESQL");
    expect(optionalEnum(PROPS, "absent", dialects)).toBe("SQLITE");
  });

  it("lists the accepted values", () => {
    expect(() => optionalEnum({ dialect: "oracle" }, "dialect", dialects)).toThrow(
      'jobCache.properties.dialect must be one of SQLITE, POSTGRESQL, MYSQL, got "oracle"',
    );
  });
});

describe("optionalBool", () => {
  it("reads the usual spellings", () => {
    expect(optionalBool(PROPS, "ssl", { default: false })).toBe(true);
    for (const text of ["false", "No", "OFF", "0"])
      expect(optionalBool({ b: text }, "b", { default: true })).toBe(false);
    expect(optionalBool(PROPS, "absent", { default: true })).toBe(true);
  });

  it("says which forms are accepted", () => {
    expect(() => optionalBool({ ssl: "maybe" }, "ssl", { default: false })).toThrow(
      /jobCache\.properties\.ssl must be true or false \(or yes\/no, on\/off, 1\/0\), got "maybe"/,
    );
  });
});

describe("properties given from code", () => {
  it("reads numbers and booleans as their string forms", () => {
    const props = { "pool.size": 10, autoDeploy: true } as never;
    expect(optionalInt(props, "pool.size", { default: 1 })).toBe(10);
    expect(optionalBool(props, "autoDeploy", { default: false })).toBe(true);
    expect(propertyStrings({ "pool.size": 10, autoDeploy: false, a: null, b: undefined })).toEqual({
      "pool.size": "10",
      autoDeploy: "false",
    });
  });

  it("refuses values that are no single value, naming the property", () => {
    expect(() => propertyStrings({ "pool.size": { n: 1 } })).toThrow(
      /"pool\.size" must be a string.*got a object/,
    );
    expect(() => propertyStrings({ ratio: Number.NaN })).toThrow(/"ratio".*got NaN/);
    expect(() => propertyStrings(["x"])).toThrow(ECacheConfig);
  });
});

describe("checkKnownProperties", () => {
  const known = ["jdbcUrl", "pool.size", "postgresql.user", "driver.*"];

  it("names an unknown property with the nearest known one, quoted so every character shows", () => {
    expect(() => checkKnownProperties({ "pool.sise": "3" }, known, "protocol JDBC")).toThrow(
      /Unknown property jobCache\.properties\."pool\.sise" for protocol JDBC\. Did you mean "pool\.size"\?/,
    );
    expect(() => checkKnownProperties({ "pool.size\u0000": "3" }, known, "x")).toThrow(/"pool\.size\\u0000"/);
    expect(() => checkKnownProperties({ zzzzzz: "3" }, known, "x")).toThrow(
      /^Unknown property [^?]*Known properties/,
    );
    expect(() => checkKnownProperties({ "postgresql.pasword": "" }, known, "x", "secrets")).toThrow(
      /jobCache\.secrets\."postgresql\.pasword"/,
    );
  });

  it("accepts known names and open prefixes", () => {
    expect(() => checkKnownProperties({ jdbcUrl: "x", "driver.anything": "1" }, known, "x")).not.toThrow();
    expect(() => checkKnownProperties(undefined, known, "x")).not.toThrow();
  });

  it("finds typos case-insensitively", () => {
    expect(nearestName("jdbcURL", known)).toBe("jdbcUrl");
    expect(nearestName("completely.different", known)).toBeUndefined();
  });
});
