import { describe, expect, it } from "vitest";
import {
  looksSecret,
  REDACTED,
  redactConfig,
  redactText,
  redactUrlCredentials,
  secretValues,
} from "../../../src/base/redaction.js";
import type { PlatformConfig } from "../../../src/base/types.js";

const CONFIG: PlatformConfig = {
  config: { "secret.type": "PKCS12", "secret.key": "k3y", nested: { auth: { token: "t0k" } } },
  jobCache: {
    protocol: "JDBC",
    properties: {
      dialect: "POSTGRESQL",
      url: "postgres://trac:p%40ss@db:5432/trac",
      "postgresql.user": "trac",
      "api.key": "abc",
      "ssl.password": "",
      jdbcUrl: "//db/trac?user=trac&password=pw2&ssl=true",
    },
    secrets: { "postgresql.password": "hunter2", "mysql.password": "" },
  },
  tenants: ["a", "b"],
};

describe("looksSecret", () => {
  it("judges a name by its last word", () => {
    for (const name of [
      "postgresql.password",
      "secretKey",
      "api_token",
      "apiKey",
      "aws.credentials",
      "pwd",
    ]) {
      expect(looksSecret(name), name).toBe(true);
    }
    for (const name of ["secret.type", "token.ttl", "passwordFile", "dialect", "keyspace", "monkey"]) {
      expect(looksSecret(name), name).toBe(false);
    }
  });
});

describe("redactConfig", () => {
  const redacted = redactConfig(CONFIG);

  it("hides every secret value, empty or not", () => {
    expect(redacted.jobCache.secrets).toEqual({
      "postgresql.password": REDACTED,
      "mysql.password": REDACTED,
    });
  });

  it("hides secret-looking properties that have a value and URL passwords", () => {
    expect(redacted.jobCache.properties).toEqual({
      dialect: "POSTGRESQL",
      url: "postgres://trac:***@db:5432/trac",
      "postgresql.user": "trac",
      "api.key": REDACTED,
      "ssl.password": "",
      jdbcUrl: "//db/trac?user=trac&password=***&ssl=true",
    });
  });

  it("treats other sections the same way, keeping their order and shape", () => {
    expect(Object.keys(redacted)).toEqual(["config", "jobCache", "tenants"]);
    expect(redacted.config).toEqual({
      "secret.type": "PKCS12",
      "secret.key": REDACTED,
      nested: { auth: { token: REDACTED } },
    });
    expect(redacted.tenants).toEqual(["a", "b"]);
  });

  it("leaves the original untouched and no secret in the copy", () => {
    expect(CONFIG.jobCache.secrets?.["postgresql.password"]).toBe("hunter2");
    const text = JSON.stringify(redacted);
    for (const secret of ["hunter2", "p%40ss", "pw2", "abc", "k3y", "t0k"])
      expect(text).not.toContain(secret);
  });
});

describe("redactText", () => {
  it("replaces each secret, longest first, also URL-encoded", () => {
    expect(redactText("auth failed: p@ss and p@ss2 at db", ["p@ss", "p@ss2"])).toBe(
      "auth failed: *** and *** at db",
    );
    expect(redactText("connect postgres://u:p%40ss@h/db", ["p@ss"])).toBe("connect postgres://u:***@h/db");
  });

  it("ignores empty secrets and hides URL passwords it was not told about", () => {
    expect(redactText("mysql://root:rootpw@127.0.0.1:3306/test down", [""])).toBe(
      "mysql://root:***@127.0.0.1:3306/test down",
    );
  });

  it("keeps URLs without a password as they are", () => {
    const text = "see https://example.com/a?b=c and postgres://user@host/db";
    expect(redactUrlCredentials(text)).toBe(text);
  });
});

describe("secretValues", () => {
  it("collects secrets, secret-looking properties and URL passwords, decoded and raw", () => {
    expect(secretValues(CONFIG.jobCache).sort()).toEqual(["abc", "hunter2", "p%40ss", "p@ss"].sort());
  });
});
