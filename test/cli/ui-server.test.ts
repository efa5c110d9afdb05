/**
 * The live view's server without a browser: the JSON API, the SSE feed after a commit, the
 * 127.0.0.1-only binding, read-only by default, unknown paths and path traversal.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/base/clock.js";
import { silentLogger } from "../../src/base/logger.js";
import { startUiServer, type UiServer } from "../../src/cli/ui/ui-server.js";
import { createJobCacheManager, type JobCacheManager } from "../../src/index.js";
import { findPlugin } from "../../src/manager/plugin-registry.js";
import type { JobStore, KeyRef } from "../../src/store/store.js";
import { runCli } from "../e2e/run-cli.js";
import { createTestDatabase, type TestDatabase } from "../setup/sql-test-db.js";

interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** A raw request: the path goes out exactly as written (no URL normalisation of `..`). */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

async function getJson(
  port: number,
  path: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const reply = await send(port, path);
  return { status: reply.status, json: JSON.parse(reply.body) as Record<string, unknown> };
}

/** Listens to /api/events and hands out its events in order. */
class EventStream {
  readonly #events: { event: string; data: unknown }[] = [];
  readonly #waiters: (() => void)[] = [];
  #buffer = "";
  readonly #request;

  constructor(port: number) {
    this.#request = httpRequest({ host: "127.0.0.1", port, path: "/api/events" }, (response) => {
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => this.#receive(chunk));
    });
    this.#request.on("error", () => {});
    this.#request.end();
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) this.#events.push({ event, data: JSON.parse(data) });
      end = this.#buffer.indexOf("\n\n");
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** The first event (removed from the stream) that matches; waits for it. */
  async next(
    match: (event: string, data: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    for (;;) {
      const index = this.#events.findIndex((item) => match(item.event, item.data as Record<string, unknown>));
      if (index >= 0) return this.#events.splice(index, 1)[0]?.data as Record<string, unknown>;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    this.#request.destroy();
  }
}

interface LeaseJson {
  key: string;
  state: string;
  revision: number;
  holder?: string;
  expiresInMs: number;
}

let database: TestDatabase;
let manager: JobCacheManager;
let store: JobStore;
const servers: UiServer[] = [];

async function serve(options: { allowRevoke?: boolean; store?: JobStore } = {}): Promise<UiServer> {
  const server = await startUiServer({
    store: options.store ?? store,
    source: "test",
    port: 0,
    pollMs: 50,
    ...(options.allowRevoke === undefined ? {} : { allowRevoke: options.allowRevoke }),
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  database = await createTestDatabase("SQLITE", "cli/ui-server");
  manager = await createJobCacheManager(database.config());
  store = await findPlugin("JDBC").createStore(database.config(), {
    clock: systemClock,
    logger: silentLogger,
  });
  const jobs = manager.getCache("jobs");
  for (const key of ["job-a", "job-b", "job-c"]) {
    await using ticket = await jobs.openNewTicket(key, 60_000);
    await jobs.createEntry(ticket, "QUEUED_IN_TRAC", { key, when: new Date(0) });
  }
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await store?.close();
  await manager?.close();
  await database?.drop();
});

describe("jobcache ui command line", () => {
  it("refuses a port out of range (usage, exit 2) and a bad cache name (exit 1) before serving", async () => {
    const port = await runCli(["ui", "--port", "70000"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("expected a port from 0 to 65535");
    const cache = await runCli(["ui", "--config", "nowhere.yaml", "--cache", "bad name"]);
    expect(cache.code).toBe(1);
    expect(cache.stderr).toContain("cacheName");
  }, 120_000);
});

describe("jobcache ui server", () => {
  it("serves the page, its script and Mermaid's bundle from node_modules", async () => {
    const { port } = await serve();
    const page = await send(port, "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("jobcache live view");
    expect(page.body).toContain('src="/mermaid.min.js"');
    const script = await send(port, "/app.js");
    expect(script.headers["content-type"]).toContain("javascript");
    expect(script.body).toContain("EventSource");
    const mermaid = await send(port, "/mermaid.min.js");
    expect(mermaid.status).toBe(200);
    expect(mermaid.body.length).toBeGreaterThan(1_000_000);
  });

  it("the snapshot shows live leases, entries by status and the actors in each machine state", async () => {
    const { port } = await serve();
    const jobs = manager.getCache("jobs");
    await using held = await jobs.openTicket("job-a", 1, 60_000);
    expect(held.superseded).toBe(false);
    const { status, json } = await getJson(port, "/api/snapshot");
    expect(status).toBe(200);
    expect(json).toMatchObject({ source: "test", revoke: "read-only", cacheName: null });
    const leases = json.leases as { rows: LeaseJson[]; total: number };
    // job-b and job-c were released after their create: only job-a's lease is open
    expect(leases.rows.map((row) => [row.key, row.state, row.revision])).toEqual([["job-a", "granted", 1]]);
    expect(leases.rows[0]?.expiresInMs).toBeGreaterThan(30_000);
    expect(json.entries).toEqual([{ cacheName: "jobs", status: "QUEUED_IN_TRAC", count: 3 }]);
    const machines = json.machines as Record<string, { counts: Record<string, number>; mermaid: string }>;
    expect(machines.ticket?.counts).toEqual({ granted: 1, committed: 0, released: 2, expired: 0 });
    expect(machines.ticket?.mermaid).toContain('state "granted · 1" as granted {');
    expect(machines.job?.counts.QUEUED_IN_TRAC).toBe(3);
    expect(machines.job?.counts.RUNNING_IN_EXECUTOR).toBe(0);
    expect(machines.job?.mermaid).toContain("class QUEUED_IN_TRAC occupied");
  });

  it("a job: its entry with the value as JSON and its lease; the entries of one status", async () => {
    const { port } = await serve();
    const job = await getJson(port, "/api/job?cache=jobs&key=job-b");
    expect(job.status).toBe(200);
    expect(job.json).toMatchObject({
      cacheName: "jobs",
      key: "job-b",
      entry: { revision: 1, status: "QUEUED_IN_TRAC", value: { key: "job-b", when: { $t: "date" } } },
      lease: { key: "job-b", state: "released" },
    });
    const none = await getJson(port, "/api/job?cache=jobs&key=nothing-here");
    expect(none.json.entry).toBeUndefined();
    const entries = await getJson(port, "/api/entries?cache=jobs&status=QUEUED_IN_TRAC");
    expect((entries.json.entries as { key: string }[]).map((entry) => entry.key)).toEqual([
      "job-a",
      "job-b",
      "job-c",
    ]);
  });

  it("bad names in a query are refused with 400 and the validation message", async () => {
    const { port } = await serve();
    const badCache = await getJson(port, "/api/job?cache=bad%20name&key=job-a");
    expect(badCache.status).toBe(400);
    expect(String(badCache.json.error)).toContain("cacheName");
    const noStatus = await getJson(port, "/api/entries?cache=jobs");
    expect(noStatus.status).toBe(400);
    expect(String(noStatus.json.error)).toContain("status");
  });

  it("the event stream sends a snapshot, then an update after a commit", async () => {
    const { port } = await serve();
    const jobs = manager.getCache("jobs");
    await using held = await jobs.openTicket("job-c", 1, 60_000);
    const stream = new EventStream(port);
    try {
      const snapshot = await stream.next((event) => event === "snapshot");
      const before = (snapshot.leases as { rows: LeaseJson[] }).rows.find((row) => row.key === "job-c");
      expect(before).toMatchObject({ state: "granted", revision: 1 });
      await jobs.updateEntry(held, "LAUNCH_SCHEDULED", { step: 2 });
      // updates carry only the sections that changed: merge them as the page does
      const view = { ...snapshot };
      const seen = () =>
        (view.leases as { rows: LeaseJson[] }).rows.find((row) => row.key === "job-c")?.revision === 2 &&
        (view.entries as { status: string }[]).some((count) => count.status === "LAUNCH_SCHEDULED");
      while (!seen()) Object.assign(view, await stream.next((event) => event === "update"));
      expect((view.leases as { rows: LeaseJson[] }).rows.find((row) => row.key === "job-c")?.state).toBe(
        "committed",
      );
      expect(view.entries).toContainEqual({ cacheName: "jobs", status: "LAUNCH_SCHEDULED", count: 1 });
      expect((view.machines as { job: { counts: Record<string, number> } }).job.counts.LAUNCH_SCHEDULED).toBe(
        1,
      );
    } finally {
      stream.close();
    }
  });

  it("listens on 127.0.0.1 only and answers only requests addressed to it", async () => {
    const { port, url } = await serve();
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    // another loopback address of this machine reaches every socket bound to 0.0.0.0, not this one
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: "127.0.0.2", port });
      socket.on("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
    const rebound = await send(port, "/api/snapshot", { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(421);
  });

  it("is read-only by default: a revoke is refused with 403 and nothing changes", async () => {
    const calls: KeyRef[] = [];
    const revocable = withRevoke(calls);
    const { port } = await serve({ store: revocable });
    const reply = await send(port, "/api/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cacheName: "jobs", key: "job-a" }),
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain("--allow-revoke");
    expect(calls).toEqual([]);
  });

  it("with --allow-revoke: calls the store's revoke; says so when the store has none; refuses other sites", async () => {
    const calls: KeyRef[] = [];
    const revoking = await serve({ store: withRevoke(calls), allowRevoke: true });
    expect((await getJson(revoking.port, "/api/snapshot")).json.revoke).toBe("enabled");
    const post = (port: number, headers: Record<string, string>) =>
      send(port, "/api/revoke", {
        method: "POST",
        headers,
        body: JSON.stringify({ cacheName: "jobs", key: "job-a" }),
      });

    const crossSite = await post(revoking.port, {
      "content-type": "application/json",
      origin: "http://evil.example",
    });
    expect(crossSite.status).toBe(403);
    const form = await post(revoking.port, { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(403);
    expect(calls).toEqual([]);

    const ok = await post(revoking.port, {
      "content-type": "application/json",
      origin: `http://127.0.0.1:${revoking.port}`,
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ cacheName: "jobs", key: "job-a", revoked: true });
    expect(calls).toEqual([{ cacheName: "jobs", key: "job-a" }]);

    const plain = await serve({ allowRevoke: true });
    expect((await getJson(plain.port, "/api/snapshot")).json.revoke).toBe(
      "revoke" in store ? "enabled" : "unavailable",
    );
    if (!("revoke" in store)) {
      const unavailable = await post(plain.port, { "content-type": "application/json" });
      expect(unavailable.status).toBe(501);
      expect(unavailable.body).toContain("cannot revoke");
    }
  });

  it("unknown paths, wrong methods and path traversal get 404 or 405 and never a file", async () => {
    const { port } = await serve();
    for (const path of [
      "/nope",
      "/api/nope",
      "/index.html",
      "/assets/app.js",
      "/../package.json",
      "/..%2fpackage.json",
      "/%2e%2e/%2e%2e/%2e%2e/package.json",
      "/app.js/../../../../package.json",
      "//etc/passwd",
      "/mermaid.min.js/../../package.json",
    ]) {
      const reply = await send(port, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body, path).not.toContain('"devDependencies"');
      expect(reply.body, path).not.toContain("root:");
    }
    const wrongMethod = await send(port, "/api/revoke");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe("POST");
    expect((await send(port, "/api/snapshot", { method: "DELETE" })).status).toBe(405);
  });

  it("close() ends open event streams", async () => {
    const server = await startUiServer({ store, source: "test", port: 0, pollMs: 50 });
    const stream = new EventStream(server.port);
    await stream.next((event) => event === "snapshot");
    await server.close();
    const after = await send(server.port, "/").then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(after).toBe("ECONNREFUSED");
    stream.close();
  });
});

/** The test's store with a `revoke` that records its calls (the store may not have one yet). */
function withRevoke(calls: KeyRef[]): JobStore {
  const revoke = async (ref: KeyRef) => {
    calls.push(ref);
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === "revoke") return revoke;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
