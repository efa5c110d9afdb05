/**
 * A TCP proxy in front of a database server that can lose a reply on purpose: armed with a
 * pattern, it forwards the next client message that matches, lets the server execute (and
 * commit) it, then drops the connection instead of passing the reply on, as a network failure
 * during COMMIT would. The server itself is never touched.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #armed: RegExp | undefined;
  /** How many replies were dropped so far. */
  drops = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts a proxy on a free local port forwarding to `host:port`. */
  static async start(host: string, port: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on("connection", (client: Socket) => proxy.#pipe(client, host, port));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  /** Drops the reply to the next client message whose text matches `pattern`. */
  dropNextReplyTo(pattern: RegExp): void {
    this.#armed = pattern;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    let doomed = false;
    this.#sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on("data", (chunk: Buffer) => {
      if (this.#armed?.test(chunk.toString("latin1"))) {
        this.#armed = undefined;
        doomed = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (doomed) {
        this.drops += 1;
        end();
        return;
      }
      client.write(chunk);
    });
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  }
}
