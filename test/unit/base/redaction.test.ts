import { describe, expect, it } from "vitest";
import { looksSecret, REDACTED, redactConfig, redactUrlCredentials } from "../../../src/base/redaction.js";
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

describe("redactUrlCredentials", () => {
  it("hides the password of every URL form the library accepts", () => {
    expect(redactUrlCredentials("jdbcUrl: //user:secret@host:5432/db")).toBe(
      "jdbcUrl: //user:***@host:5432/db",
    );
    expect(redactUrlCredentials("postgres://u:p@ss@h/db and more")).toBe("postgres://u:***@h/db and more");
    expect(redactUrlCredentials("jdbc:mysql://u:p%40ss@h/db")).toBe("jdbc:mysql://u:***@h/db");
    expect(redactUrlCredentials("//h/db?user=a&password=pw")).toBe("//h/db?user=a&password=***");
  });

  it("keeps URLs without a password, and paths, as they are", () => {
    const text = "see https://example.com/a//b:c@d?x=1 and postgres://user@host/db and //h:5432/db";
    expect(redactUrlCredentials(text)).toBe(text);
  });
});

describe("redactConfig with the printable form of a plugin's parser", () => {
  it("prints the parser's URL for the jobCache properties it gives", () => {
    const config: PlatformConfig = { jobCache: { protocol: "JDBC", properties: { url: "odd:user:x@y" } } };
    expect(redactConfig(config, { url: "//user:***@y/db" }).jobCache.properties?.url).toBe("//user:***@y/db");
  });
});
