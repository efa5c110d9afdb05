/**
 * Server-Sent Events for the live view. While at least one page listens, the feed reads the
 * store every `pollMs` and pushes only the sections that changed since the last read, so a
 * commit reaches the page within one poll interval plus a query. A failed read becomes a
 * `problem` event (the page shows it) and the polling goes on.
 * @module
 */
import type { ServerResponse } from "node:http";
import type { UiSections } from "./ui-snapshot.js";

type SectionName = keyof UiSections;

/** What decides whether a section changed: the lease countdown moves on every read, so it is left out. */
function fingerprint(name: SectionName, sections: UiSections): string {
  if (name !== "leases") return JSON.stringify(sections[name]);
  const { rows, total } = sections.leases;
  // an expired lease changes state in the store's own report, so the countdown itself is not needed
  return JSON.stringify([total, rows.map(({ expiresInMs: _, ...rest }) => rest)]);
}

const SECTIONS: readonly SectionName[] = ["leases", "entries", "machines"];

/** Sent so proxies and the browser keep an idle stream open. */
const KEEPALIVE_MS = 15_000;

function send(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Polls the store for the pages that listen and pushes what changed. */
export class LiveFeed {
  readonly #read: () => Promise<UiSections>;
  readonly #pollMs: number;
  readonly #meta: Readonly<Record<string, unknown>>;
  readonly #clients = new Set<ServerResponse>();
  #last = new Map<SectionName, string>();
  #timer: NodeJS.Timeout | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #polling = false;
  #closed = false;

  /** `meta` goes with every snapshot: what does not change while the server runs. */
  constructor(read: () => Promise<UiSections>, pollMs: number, meta: Readonly<Record<string, unknown>>) {
    this.#read = read;
    this.#pollMs = pollMs;
    this.#meta = meta;
  }

  /** Takes over `response` as an event stream: a full `snapshot` first, then `update`s. */
  async attach(response: ServerResponse): Promise<void> {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    // a page that lost the stream reconnects after 1 s
    response.write("retry: 1000\n\n");
    try {
      const sections = await this.#read();
      // the pages already listening get what changed since their last update
      this.#broadcast(sections);
      send(response, "snapshot", { ...this.#meta, ...sections });
      this.#clients.add(response);
      response.on("close", () => this.#clients.delete(response));
    } catch (error) {
      // the page reconnects (retry above) and gets its snapshot once the store answers
      send(response, "problem", { message: messageOf(error) });
      response.end();
      return;
    }
    this.#start();
  }

  /** Ends every stream and stops polling. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#keepalive);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  /** Sends the sections that changed since the last read to every listening page. */
  #broadcast(sections: UiSections): void {
    const changed = SECTIONS.filter((name) => this.#last.get(name) !== fingerprint(name, sections));
    if (changed.length === 0) return;
    for (const name of changed) this.#last.set(name, fingerprint(name, sections));
    const update = Object.fromEntries(changed.map((name) => [name, sections[name]]));
    for (const client of this.#clients) send(client, "update", update);
  }

  #start(): void {
    this.#keepalive ??= setInterval(() => {
      for (const client of this.#clients) client.write(": keepalive\n\n");
    }, KEEPALIVE_MS).unref();
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    this.#timer = setTimeout(() => void this.#poll(), this.#pollMs).unref();
  }

  async #poll(): Promise<void> {
    if (this.#clients.size === 0 || this.#closed) {
      this.#polling = false;
      clearInterval(this.#keepalive);
      this.#keepalive = undefined;
      return;
    }
    try {
      this.#broadcast(await this.#read());
    } catch (error) {
      for (const client of this.#clients) send(client, "problem", { message: messageOf(error) });
    }
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#poll(), this.#pollMs).unref();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
