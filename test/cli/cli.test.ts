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
      { cwd: ROOT, env: childEnv, timeout: 240_000 },
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
  protocol: LOCAL
  properties:
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
    expect(missing.stderr).toContain("missing required argument 'file'");
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
});
