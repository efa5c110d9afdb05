/**
 * A stand-in PostgreSQL server that only asks for a password: it answers the startup message
 * with an authentication request and records the password the client sends (cleartext), so a
 * test sees which password a config resolves to, or what a client says when it has none (SASL).
 */
import { createServer, type Server, type Socket } from "node:net";

/** The server's address and what it received. */
export interface FakePgAuth {
  readonly port: number;
  /** Passwords received, in order. */
  readonly passwords: string[];
  close(): Promise<void>;
}

function authRequest(method: "cleartext" | "sasl"): Buffer {
  const body =
    method === "cleartext"
      ? Buffer.from([0, 0, 0, 3])
      : Buffer.concat([Buffer.from([0, 0, 0, 10]), Buffer.from("SCRAM-SHA-256\0\0")]);
  const header = Buffer.alloc(5);
  header.write("R", 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function fatal(message: string): Buffer {
  const body = Buffer.from(`SFATAL\0C28P01\0M${message}\0\0`);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** Starts the fake server on a free port of 127.0.0.1. */
export async function startFakePgAuth(method: "cleartext" | "sasl"): Promise<FakePgAuth> {
  const passwords: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let started = false;
    socket.on("data", (chunk) => {
      if (!started) {
        started = true;
        socket.write(authRequest(method));
        return;
      }
      if (chunk[0] === "p".charCodeAt(0)) {
        const length = chunk.readInt32BE(1);
        passwords.push(chunk.subarray(5, 1 + length - 1).toString("utf8"));
        socket.end(fatal("fake server: password recorded"));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    passwords,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
