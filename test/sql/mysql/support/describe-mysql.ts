/**
 * `describe` for tests that need a MariaDB server: when none answers and none can be started,
 * the suite shows one test named "not run: ..." with the install command (skipped at run time,
 * so the report says why), and under CI=true {@link mysqlTestServer} throws instead.
 */
import { afterAll, describe, it } from "vitest";
import { mysqlTestServer, stopFallbackMariadb } from "./mysql-test-server.js";

/** Resolved once per test file, before any test is defined (top-level await). */
const server = await mysqlTestServer();

// Once per file, after every describe block: stops the throwaway server if this file started one.
afterAll(stopFallbackMariadb);

/** The test server's URL; only valid inside a {@link describeMysql} body. */
export function serverUrl(): string {
  if (server.url === undefined) throw new Error(server.notRun);
  return server.url;
}

/** Runs `body` as a describe block when a MariaDB server is available, else reports "not run". */
export function describeMysql(name: string, body: () => void): void {
  if (server.url !== undefined) {
    describe(name, body);
    return;
  }
  const reason = server.notRun;
  console.warn(`${name}: not run: ${reason}`);
  describe(name, () => {
    it(`not run: ${reason}`, (context) => {
      context.skip(reason);
    });
  });
}

/**
 * Calls `register` (which defines its own describe blocks, e.g. the conformance suite) when a
 * MariaDB server is available, else reports `name` as "not run".
 */
export function whenMysqlAvailable(name: string, register: () => void): void {
  if (server.url !== undefined) register();
  else describeMysql(name, () => {});
}
