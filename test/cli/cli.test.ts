import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = join(ROOT, "src/cli/main.ts");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const SECRET_VAR = "JOBCACHE_CLI_TEST_PASSWORD";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source through tsx, as `node --import tsx src/cli/main.ts ...args`. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const childEnv = { ...process.env, ...env };
  if (!(SECRET_VAR in env)) delete childEnv[SECRET_VAR];
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", MAIN, ...args],
      { cwd: ROOT, env: childEnv, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        done({ code, stdout, stderr });
      },
    );
  });
}

let dir: string;

/** Writes a config file into this run's temp folder and returns its path. */
async function configFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const GOOD = `config:
  secret.type: PKCS12
jobCache:
  protocol: JDBC
  properties:
    dialect: POSTGRESQL
    pool.size: 10
    url: postgres://trac:urlpass@db/trac
  secrets:
    postgresql.password: ${SECRET_VAR}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobcache-cli-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Every case starts Node processes that load TypeScript: seconds each on a loaded machine.
describe("jobcache CLI", { timeout: 300_000 }, () => {
  it("--help describes jobcache, its commands and examples", async () => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: jobcache");
    expect(run.stdout).toContain("exclusive, time-limited job tickets");
    expect(run.stdout).toMatch(/Commands:[\s\S]*config/);
    expect(run.stdout).toContain("$ jobcache config check etc/platform.yaml");
  });

  it("--version prints the version in package.json", async () => {
    const run = await cli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
  });

  it("exits 2 on usage errors", async () => {
    const unknown = await cli(["--no-such-option"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("jobcache: unknown option '--no-such-option'");
    const missing = await cli(["config", "check"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("jobcache: missing the config file");
  });

  it("config check prints the resolved config with secrets redacted", async () => {
    const file = await configFile("good.yaml", GOOD);
    const run = await cli(["config", "check", file], { [SECRET_VAR]: "hunter2" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('postgresql.password: "***"');
    expect(run.stdout).toContain("url: postgres://trac:***@db/trac");
    expect(run.stdout).toContain('pool.size: "10"');
    expect(run.stdout).toContain("secret.type: PKCS12");
    expect(run.stdout).not.toContain("hunter2");
    expect(run.stdout).not.toContain("urlpass");
  });

  it("config check fails when a secret's environment variable is not set", async () => {
    const file = await configFile("no-env.yaml", GOOD);
    const run = await cli(["config", "check", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^jobcache: .*environment variable ${SECRET_VAR} is not set`));
    expect(run.stderr).toContain("jobCache.secrets.postgresql.password");
  });

  it("config check reports malformed YAML with the line", async () => {
    const file = await configFile("bad.yaml", "jobCache:\n  protocol: LOCAL\n  properties: [a,\n  b: c\n");
    const run = await cli(["config", "check", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^jobcache: .*bad\.yaml:4:\d+: malformed YAML/);
    expect(run.stdout).toBe("");
  });

  it("config check reports a missing file with the OS reason", async () => {
    const file = join(dir, "absent.yaml");
    const run = await cli(["config", "check", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `jobcache: cannot read platform config file ${file}: no such file or directory (ENOENT). ` +
        "Check the path and its permissions.\n",
    );
  });

  it("config check rejects an unknown protocol, listing the known ones", async () => {
    const file = await configFile("unknown.yaml", "jobCache:\n  protocol: NO_SUCH_PROTOCOL\n");
    const run = await cli(["config", "check", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown job cache protocol "NO_SUCH_PROTOCOL"');
    expect(run.stderr).toMatch(/Known protocols: .*LOCAL/);
  });

  it("config check never prints a password of any URL form the library accepts", async () => {
    const forms = [
      ["jdbcUrl: //user:s3cretpw@db:5432/trac", "jdbcUrl: //user:***@db:5432/trac"],
      ["url: postgres://user:s3cret@pw@db/trac", "url: postgres://user:***@db/trac"],
      ["jdbcUrl: //db/trac?user=app&password=s3cretpw", "jdbcUrl: //db/trac?user=app&password=***"],
    ];
    for (const [line, printed] of forms) {
      const file = await configFile(
        "forms.yaml",
        `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: POSTGRESQL\n    ${line}\n`,
      );
      const run = await cli(["config", "check", file]);
      expect(run.stderr, line).toBe("");
      expect(run.stdout, line).toContain(printed);
      expect(run.stdout, line).not.toMatch(/s3cret|pw@/);
    }
  }, 180_000);

  it("config check runs the checks the cache runs, and takes --config FILE too", async () => {
    const cases: [string, RegExp][] = [
      [
        "dialect: POSTGRESQL\n    jdbcUrl: //db/trac\n    pool.sise: 3",
        /"pool\.sise".*Did you mean "pool\.size"/,
      ],
      ["dialect: POSTGRESQL\n    jdbcUrl: //db/trac\n    pool.size: -5", /pool\.size must be a whole number/],
      ["dialect: POSTGRESQL\n    jdbcUrl: //db/trac\n    schema: a;drop", /schema must be/],
      [
        "dialect: POSTGRESQL\n    url: postgres://u:p%zz@db/trac",
        /jobCache\.properties\.url has a malformed %-escape/,
      ],
      ['dialect: "POSTGRESQL;x"\n    jdbcUrl: //db/trac', /Unknown SQL dialect "POSTGRESQL;x"/],
    ];
    for (const [properties, message] of cases) {
      const file = await configFile(
        "checks.yaml",
        `jobCache:\n  protocol: JDBC\n  properties:\n    ${properties}\n`,
      );
      const run = await cli(["config", "check", "--config", file]);
      expect(run.code, properties).toBe(1);
      expect(run.stderr, properties).toMatch(message);
      expect(run.stderr, properties).toContain(file);
      expect(run.stderr, properties).not.toContain("URI malformed");
    }
    const local = await configFile(
      "local.yaml",
      "jobCache:\n  protocol: LOCAL\n  properties:\n    maxValueBytes: 1000\n",
    );
    const ok = await cli(["config", "check", "--config", local]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`# ${local}: valid, protocol LOCAL`);
    expect(ok.stdout).toContain("not connected");
  }, 180_000);

  it("config check quotes a protocol so every character shows", async () => {
    const file = await configFile("nul.yaml", 'jobCache:\n  protocol: "LOCAL\\0"\n');
    const run = await cli(["config", "check", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown job cache protocol "LOCAL\\u0000"');
  });

  it("config check --connect tries the connection and reports the schema", async () => {
    const db = join(dir, "connect.db");
    const file = await configFile(
      "connect.yaml",
      `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${db}\n`,
    );
    const run = await cli(["config", "check", file, "--connect"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("connected, schema missing");
  });

  it("db deploy --json prints its error as JSON; inspect names the user's own --config file in hints", async () => {
    const file = await configFile(
      "bad-url.yaml",
      "jobCache:\n  protocol: JDBC\n  properties:\n    dialect: POSTGRESQL\n    url: //db\n",
    );
    const deploy = await cli(["db", "deploy", "--config", file, "--json"]);
    expect(deploy.code).toBe(1);
    const printed = JSON.parse(deploy.stdout) as { error: { name: string; message: string } };
    expect(printed.error.name).toBe("ECacheConfig");
    expect(printed.error.message).toMatch(/jobCache\.properties\.url/);
    const db = join(dir, "undeployed.db");
    const undeployed = await configFile(
      "undeployed config.yaml",
      `jobCache:\n  protocol: JDBC\n  properties:\n    dialect: SQLITE\n    jdbcUrl: ${db}\n    autoDeploy: false\n`,
    );
    const inspect = await cli(["inspect", "--config", undeployed]);
    expect(inspect.code).toBe(1);
    expect(inspect.stderr).toContain(`jobcache db deploy --config '${undeployed}'`);
    expect(inspect.stderr).not.toContain("--config FILE");
    const run = await cli(["run", "--config", undeployed, "--jobs", "1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`jobcache db deploy --config '${undeployed}'`);
  }, 180_000);

  it("config check completes on a 4 MB config of 60,000 keys", async () => {
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `  key.number.${i}: value number ${i} with some more padding text here`,
    );
    const file = await configFile("big.yaml", `config:\n${lines.join("\n")}\njobCache:\n  protocol: LOCAL\n`);
    const run = await cli(["config", "check", file]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("key.number.59999: value number 59999");
  }, 180_000);
});
