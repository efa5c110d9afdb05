import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../../src/base/errors.js";
import { parsePlatformConfig } from "../../../src/manager/platform-config.js";

const GOOD = `config:
  secret.type: PKCS12
jobCache:
  protocol: JDBC
  properties:
    dialect: POSTGRESQL
    jdbcUrl: //localhost:5432/trac
    postgresql.user: trac
    pool.size: 10
    ratio: 1.10
    ssl: true
  secrets:
    postgresql.password: JOBCACHE_DB_PASSWORD
`;

/** The ECacheConfig message thrown by parsing `text`; fails the test when nothing is thrown. */
function failure(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parsePlatformConfig(text, "platform.yaml", env);
  } catch (error) {
    expect(error).toBeInstanceOf(ECacheConfig);
    return (error as Error).message;
  }
  throw new Error("expected parsePlatformConfig to throw");
}

describe("parsePlatformConfig", () => {
  it("reads the jobCache section, converting scalars to their text", () => {
    const config = parsePlatformConfig(GOOD, "platform.yaml", { JOBCACHE_DB_PASSWORD: "s3cret" });
    expect(config.jobCache).toEqual({
      protocol: "JDBC",
      properties: {
        dialect: "POSTGRESQL",
        jdbcUrl: "//localhost:5432/trac",
        "postgresql.user": "trac",
        "pool.size": "10",
        ratio: "1.10",
        ssl: "true",
      },
      secrets: { "postgresql.password": "s3cret" },
    });
  });

  it("keeps other sections as parsed", () => {
    const config = parsePlatformConfig(`${GOOD}extra:\n  n: 3\n  list: [a, b]\n`, "p", {
      JOBCACHE_DB_PASSWORD: "x",
    });
    expect(config.config).toEqual({ "secret.type": "PKCS12" });
    expect(config.extra).toEqual({ n: 3, list: ["a", "b"] });
  });

  it("accepts a section with only a protocol, and follows aliases", () => {
    const text = "base: &size 4\njobCache:\n  protocol: LOCAL\n  properties:\n    pool.size: *size\n";
    const config = parsePlatformConfig(text, "p", {});
    expect(config.jobCache).toEqual({ protocol: "LOCAL", properties: { "pool.size": "4" }, secrets: {} });
  });

  it("accepts an empty secret value that is set", () => {
    const text = "jobCache:\n  protocol: LOCAL\n  secrets:\n    mysql.password: DB_PW\n";
    expect(parsePlatformConfig(text, "p", { DB_PW: "" }).jobCache.secrets).toEqual({ "mysql.password": "" });
  });

  it("reports malformed YAML with its line and column", () => {
    const message = failure("jobCache:\n  protocol: LOCAL\n  properties: [a, b\n  secrets: x\n");
    expect(message).toMatch(/^platform\.yaml:4:3: malformed YAML/);
    expect(message).toContain("line 4, column 3");
  });

  it("reports duplicate keys as malformed YAML", () => {
    expect(failure("jobCache:\n  protocol: A\n  protocol: B\n")).toMatch(
      /^platform\.yaml:3:3: malformed YAML/,
    );
  });

  it("finds a duplicate key in any map, naming it", () => {
    expect(failure("config:\n  a: 1\n  b: 2\n  a: 3\njobCache:\n  protocol: LOCAL\n")).toMatch(
      /^platform\.yaml:4:3: malformed YAML: map keys must be unique \(the key "a" appears twice\)/,
    );
  });

  it("parses a 4 MB config of 60,000 keys (minutes before: each key was compared with every earlier one)", () => {
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `  key.number.${i}: value number ${i} with some more padding text here`,
    );
    const text = `config:\n${lines.join("\n")}\njobCache:\n  protocol: LOCAL\n`;
    expect(text.length).toBeGreaterThan(4_000_000);
    const config = parsePlatformConfig(text, "big.yaml", {});
    expect(Object.keys(config.config as object)).toHaveLength(60_000);
    expect(config.jobCache.protocol).toBe("LOCAL");
  }, 120_000);

  it("never quotes the malformed line, which may hold a password", () => {
    expect(failure("jobCache:\n  properties:\n    password: hunter2: [\n")).not.toContain("hunter2");
  });

  it("reports an empty file and a file that is not a map", () => {
    expect(failure("")).toMatch(/platform\.yaml is empty; .*jobCache/);
    expect(failure("- a\n- b\n")).toMatch(/must be a YAML map of sections/);
  });

  it("reports a missing jobCache section, with a hint for a misspelt one", () => {
    expect(failure("config: {}\n")).toMatch(/^platform\.yaml: no jobCache: section\. Add one/);
    expect(failure("jobcache:\n  protocol: LOCAL\n")).toContain('found "jobcache"');
  });

  it("reports wrong types with the key, what was expected and the line", () => {
    expect(failure("jobCache: LOCAL\n")).toMatch(/^platform\.yaml:1:11: jobCache must be a map/);
    expect(failure("jobCache:\n  properties: {}\n")).toMatch(
      /^platform\.yaml:2:3: jobCache\.protocol must be a non-empty string .* got no protocol/,
    );
    expect(failure("jobCache:\n  protocol: 12\n")).toMatch(
      /^platform\.yaml:2:13: jobCache\.protocol .* got a number/,
    );
    expect(failure("jobCache:\n  protocol: LOCAL\n  properties: [a]\n")).toMatch(
      /^platform\.yaml:3:15: jobCache\.properties must be a map .* got a list/,
    );
    expect(failure("jobCache:\n  protocol: LOCAL\n  properties:\n    pool:\n      size: 3\n")).toMatch(
      /^platform\.yaml:5:7: jobCache\.properties\.pool must be a single value .* got a map/,
    );
    expect(failure("jobCache:\n  protocol: LOCAL\n  properties:\n    dialect:\n")).toMatch(
      /^platform\.yaml:4:5: jobCache\.properties\.dialect must be a single value .* got nothing/,
    );
    expect(failure("jobCache:\n  protocol: LOCAL\n  secrets:\n    a.password: 12 34\n")).toMatch(
      /^platform\.yaml:4:17: jobCache\.secrets\.a\.password must name the environment variable/,
    );
  });

  it("rejects unknown keys in the section, naming the expected ones", () => {
    expect(failure("jobCache:\n  protocol: LOCAL\n  propreties: {}\n")).toMatch(
      /^platform\.yaml:3:3: unknown key jobCache\.propreties; expected protocol, properties, secrets/,
    );
  });

  it("names the variable and the property when a secret's variable is not set", () => {
    const message = failure(GOOD, { OTHER: "x" });
    expect(message).toMatch(/^platform\.yaml:13:26: environment variable JOBCACHE_DB_PASSWORD is not set/);
    expect(message).toContain("jobCache.secrets.postgresql.password");
  });

  it("quotes names that are not plain, so every character shows", () => {
    expect(failure('jobCache:\n  protocol: LOCAL\n  "protocol\\0": x\n')).toContain(
      'unknown key jobCache."protocol\\u0000"',
    );
    expect(failure('jobCache:\n  protocol: LOCAL\n  properties:\n    "a\\tb": [1]\n')).toContain(
      'jobCache.properties."a\\tb" must be a single value',
    );
  });

  it("rejects a name set both as a property and as a secret", () => {
    const text = "jobCache:\n  protocol: L\n  properties:\n    pw: a\n  secrets:\n    pw: PW\n";
    expect(failure(text, { PW: "b" })).toMatch(
      /pw is set in both jobCache\.properties and jobCache\.secrets/,
    );
  });

  it("reports an alias to an undefined anchor", () => {
    expect(failure("jobCache:\n  protocol: LOCAL\nother: *nowhere\n")).toMatch(/^platform\.yaml: .*nowhere/);
  });
});
