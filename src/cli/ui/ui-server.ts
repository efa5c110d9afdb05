/**
 * The live view's HTTP server (node:http, no framework): the page and its two assets, Mermaid's
 * browser bundle from node_modules, a JSON API over the store, and the Server-Sent Events feed.
 * It listens on 127.0.0.1 only and answers only requests addressed to that host (a page of
 * another site cannot reach it through a rebound DNS name). It reads only, except `POST
 * /api/revoke` when started with `allowRevoke` on a store that can revoke.
 *
 * | path | answer |
 * |---|---|
 * | `GET /` `/app.js` `/app.css` `/mermaid.min.js` | the page (fixed list: no path reaches the file system) |
 * | `GET /api/snapshot` | everything the page shows, as JSON |
 * | `GET /api/events` | `text/event-stream`: `snapshot`, then `update` with the sections that changed |
 * | `GET /api/entries?cache=C&status=S` | entries of one status (keys, revisions) |
 * | `GET /api/job?cache=C&key=K` | one job: entry (value as JSON) and lease |
 * | `POST /api/revoke` `{"cacheName","key"}` | ends a live lease (403 when read-only, 501 when the store cannot) |
 * @module
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { ECacheOperation, ECacheUnavailable, EInvalidArgument } from "../../base/errors.js";
import { validateCacheName, validateKey, validateStatus } from "../../base/validate.js";
import type { JobStore, KeyRef } from "../../store/store.js";
import { LiveFeed } from "./live-feed.js";
import { inspectable, readEntries, readJob, readSections } from "./ui-snapshot.js";

/** Options of {@link startUiServer}. */
export interface UiServerOptions {
  readonly store: JobStore;
  /** Where the config came from, shown on the page. */
  readonly source: string;
  /** Only this cache; all caches when omitted. */
  readonly cacheName?: string;
  /** 0 picks a free port. @defaultValue 7420 */
  readonly port?: number;
  /** Lets the page end a live lease through the store's `revoke`. @defaultValue false */
  readonly allowRevoke?: boolean;
  /** How often the store is read while a page listens. @defaultValue 250 */
  readonly pollMs?: number;
}

/** A running live view. */
export interface UiServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Ends every event stream and stops listening; the store stays open (its owner closes it). */
  close(): Promise<void>;
}

/** Revoke state the page shows next to the leases. */
type RevokeMode = "read-only" | "enabled" | "unavailable";

/** The interface the view listens on; never another one. */
const UI_HOST = "127.0.0.1";
export const DEFAULT_UI_PORT = 7420;

/** The API's paths and the one method each takes. */
const API_METHODS: Readonly<Record<string, "GET" | "POST">> = {
  "/api/snapshot": "GET",
  "/api/events": "GET",
  "/api/entries": "GET",
  "/api/job": "GET",
  "/api/revoke": "POST",
};

/** Entries listed for one status. */
const ENTRY_LIMIT = 200;
/** A revoke request is two names; anything longer is not one. */
const MAX_BODY_BYTES = 4096;

const ASSETS = new URL("./assets/", import.meta.url);
const MERMAID = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");

/** The files the server can send, by URL path. Nothing else is read from disk. */
const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  "/": { file: fileURLToPath(new URL("index.html", ASSETS)), type: "text/html; charset=utf-8" },
  "/app.js": { file: fileURLToPath(new URL("app.js", ASSETS)), type: "text/javascript; charset=utf-8" },
  "/app.css": { file: fileURLToPath(new URL("app.css", ASSETS)), type: "text/css; charset=utf-8" },
  "/mermaid.min.js": { file: MERMAID, type: "text/javascript; charset=utf-8" },
};

/** An error with the HTTP status it answers with. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The store's optional `revoke`, bound, when it has one. */
function revokeOf(store: JobStore): ((ref: KeyRef) => Promise<unknown>) | undefined {
  const revoke = (store as { revoke?: unknown }).revoke;
  return typeof revoke === "function" ? (ref) => Promise.resolve(revoke.call(store, ref)) : undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(body));
}

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof EInvalidArgument || error instanceof ECacheOperation) return 400;
  if (error instanceof ECacheUnavailable) return 503;
  return 500;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, 'send a JSON body: {"cacheName": "...", "key": "..."}');
  }
}

/**
 * Starts the live view on 127.0.0.1.
 * @example
 * const ui = await startUiServer({ store, source: "platform.yaml", port: 0 });
 * console.log(ui.url);
 * await ui.close();
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { store, source, cacheName } = options;
  inspectable(store, source); // fail at start, not on the first request
  const revoke = revokeOf(store);
  const mode: RevokeMode =
    options.allowRevoke !== true ? "read-only" : revoke === undefined ? "unavailable" : "enabled";
  const meta = { source, cacheName: cacheName ?? null, revoke: mode };
  const read = () => readSections(store, source, cacheName);
  const feed = new LiveFeed(read, options.pollMs ?? 250, meta);
  const files = new Map<string, Promise<Buffer>>();
  let port = options.port ?? DEFAULT_UI_PORT;

  const chosenCache = (name: unknown): string => {
    const checked = validateCacheName(name ?? undefined);
    if (cacheName !== undefined && checked !== cacheName) {
      throw new HttpError(404, `this view shows only cache "${cacheName}"`);
    }
    return checked;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // requests for another host name (DNS rebinding) are not for this server
    const host = request.headers.host ?? "";
    if (host !== `${UI_HOST}:${port}` && host !== `localhost:${port}`) {
      throw new HttpError(421, `this server answers only at http://${UI_HOST}:${port}/`);
    }
    const url = new URL(request.url ?? "/", `http://${host}`);
    const file = FILES[url.pathname];
    const method = file !== undefined ? "GET" : API_METHODS[url.pathname];
    if (method === undefined) throw new HttpError(404, `no such page: ${url.pathname}`);
    if (request.method !== method) {
      response.setHeader("allow", method);
      throw new HttpError(405, `${url.pathname} takes ${method}`);
    }

    if (file !== undefined) {
      let body = files.get(file.file);
      if (body === undefined) {
        body = readFile(file.file);
        files.set(file.file, body);
        // a failed read is tried again by the next request
        body.catch(() => files.delete(file.file));
      }
      response.writeHead(200, { "content-type": file.type, "cache-control": "no-cache" });
      response.end(await body);
      return;
    }
    switch (url.pathname) {
      case "/api/snapshot":
        return sendJson(response, 200, { ...meta, ...(await read()) });
      case "/api/events":
        return feed.attach(response);
      case "/api/entries": {
        const name = chosenCache(url.searchParams.get("cache"));
        const status = validateStatus(url.searchParams.get("status") ?? undefined, { cacheName: name });
        const entries = await readEntries(store, name, status, ENTRY_LIMIT);
        return sendJson(response, 200, { cacheName: name, status, entries, limit: ENTRY_LIMIT });
      }
      case "/api/job": {
        const name = chosenCache(url.searchParams.get("cache"));
        const key = validateKey(url.searchParams.get("key") ?? undefined);
        return sendJson(response, 200, await readJob(store, source, name, key));
      }
      default:
        return revokeLease(request, response, host);
    }
  }

  async function revokeLease(
    request: IncomingMessage,
    response: ServerResponse,
    host: string,
  ): Promise<void> {
    if (mode === "read-only") {
      throw new HttpError(
        403,
        "the view is read-only: start it with jobcache ui --allow-revoke to revoke leases",
      );
    }
    // a form or fetch of another site cannot send JSON without a preflight, which this server never allows
    const origin = request.headers.origin;
    if (
      (origin !== undefined && origin !== `http://${host}`) ||
      !request.headers["content-type"]?.startsWith("application/json")
    ) {
      throw new HttpError(403, "revoke takes a JSON request from this page only");
    }
    if (revoke === undefined) {
      throw new HttpError(501, "this store cannot revoke leases (it has no revoke method)");
    }
    const body = (await readBody(request)) as { cacheName?: unknown; key?: unknown } | null;
    const ref = { cacheName: chosenCache(body?.cacheName), key: validateKey(body?.key) };
    // a store may say whether there was a live lease to end; without an answer, it was ended
    const result = await revoke(ref);
    sendJson(response, 200, { ...ref, revoked: typeof result === "boolean" ? result : true });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.end();
        return;
      }
      sendJson(response, statusOf(error), { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, UI_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address !== null && typeof address === "object") port = address.port;
  return {
    url: `http://${UI_HOST}:${port}/`,
    port,
    async close() {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
