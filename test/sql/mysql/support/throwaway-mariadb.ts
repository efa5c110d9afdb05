/**
 * A MariaDB server of the test's own, for tests that stop, restart or break a server (never the
 * shared one), and the fallback when the shared server does not answer. mariadb-install-db and
 * mariadbd under a fresh temp folder, on a free port; starts in ~0.2 s.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import mysql from "mysql2/promise";
import { freePort } from "../../../setup/free-port.js";

const run = promisify(execFile);

/** The binaries, as Debian's mariadb-server package installs them. */
const SERVER = "/usr/sbin/mariadbd";
const INSTALL_DB = "/usr/bin/mariadb-install-db";

/** The command that installs them, for "not run" messages. */
export const INSTALL_MARIADB = "apt-get install -y mariadb-server";

/** Whether a throwaway server can be started on this machine. */
export function canStartMariadb(): boolean {
  return existsSync(SERVER) && existsSync(INSTALL_DB);
}

/** A running throwaway server. */
export interface ThrowawayMariadb {
  /** `mysql://root:PASSWORD@127.0.0.1:PORT/DATABASE` */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** Stops the server (SIGTERM, a clean shutdown), keeping its data. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), as a crash or a lost host would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

async function answers(port: number, password: string): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ host: "127.0.0.1", port, user: "root", password });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`throwaway MariaDB: timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Initialises and starts a new server on a free port, with a root password (so tests can check
 * that it never shows) and one database.
 */
export async function startThrowawayMariadb(database = "test"): Promise<ThrowawayMariadb> {
  const home = mkdtempSync(join(tmpdir(), "jobcache-mariadb-"));
  const data = join(home, "data");
  await run(INSTALL_DB, [
    "--no-defaults",
    `--datadir=${data}`,
    "--user=root",
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
  ]);
  const port = await freePort();
  const password = "throwaway-Secret-9f3";
  let server: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    if (server !== undefined) return;
    const child = spawn(
      SERVER,
      [
        "--no-defaults",
        `--datadir=${data}`,
        "--user=root",
        "--bind-address=127.0.0.1",
        `--port=${port}`,
        `--socket=${join(home, "sock")}`,
        `--pid-file=${join(home, "pid")}`,
        `--log-error=${join(home, "error.log")}`,
        "--innodb-buffer-pool-size=32M",
        // Unlike the shared server: the schema and the clock must not rely on the server's defaults.
        "--character-set-server=latin1",
        "--default-time-zone=+05:00",
      ],
      { stdio: "ignore" },
    );
    server = child;
    exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.once("exit", () => {
      if (server === child) server = undefined;
    });
    // A fresh datadir has a root without password: set it on the first start.
    await waitFor(async () => (await answers(port, password)) || (await answers(port, "")), "it answers");
    if (await answers(port, "")) {
      const admin = await mysql.createConnection({ host: "127.0.0.1", port, user: "root" });
      await admin.query(`alter user 'root'@'localhost' identified by '${password}'`);
      await admin.query(`create database if not exists \`${database}\``);
      await admin.end();
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const child = server;
    if (child === undefined) return;
    child.kill(signal);
    await exited;
    server = undefined;
  };

  // A test process that ends without destroy() (a crash, a fallback nobody stops) takes its
  // server and data with it rather than leaving them running.
  const onExit = () => {
    server?.kill("SIGKILL");
    rmSync(home, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  await start();
  return {
    url: `mysql://root:${password}@127.0.0.1:${port}/${database}`,
    port,
    password,
    start,
    stop: () => halt("SIGTERM"),
    kill: () => halt("SIGKILL"),
    async destroy() {
      process.removeListener("exit", onExit);
      await halt("SIGKILL");
      rmSync(home, { recursive: true, force: true });
    },
  };
}
