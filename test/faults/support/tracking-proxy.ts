/**
 * A plain TCP proxy in front of the PostgreSQL server that remembers the local port of every
 * connection it opens to the server. pg_stat_activity shows those ports as `client_port`, so
 * a test can pick out exactly the backends of its own worker processes on a shared server
 * (every jobcache pool connects with application_name "jobcache", whoever runs it).
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export class TrackingProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Local ports of the connections to the server that are open now. */
  readonly upstreamPorts = new Set<number>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts a proxy on a free local port forwarding to `host:port`. */
  static async start(host: string, port: number): Promise<TrackingProxy> {
    const server = createServer();
    const proxy = new TrackingProxy(server);
    server.on("connection", (client: Socket) => proxy.#pipe(client, host, port));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    this.#sockets.add(client).add(upstream);
    let localPort: number | undefined;
    upstream.once("connect", () => {
      localPort = upstream.localPort;
      if (localPort !== undefined) this.upstreamPorts.add(localPort);
    });
    const end = () => {
      if (localPort !== undefined) this.upstreamPorts.delete(localPort);
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  }
}
