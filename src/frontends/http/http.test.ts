import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type ErrorRenderer, HttpServer, type HttpServerOptions, isRequestError, parseJson, readBody, RequestError, type WireAnswer } from "./mod.js";

/** A renderer that shows what it was given: the core's problem or a known error's message. */
const renderer: ErrorRenderer = {
  render(error, exchange): WireAnswer | undefined {
    if (isRequestError(error)) return { status: error.status, headers: { "x-test": exchange ? "request" : "raw" }, body: JSON.stringify({ problem: error.problem, limit: error.limitBytes }) };
    if (error instanceof RangeError) return { status: 422, headers: {}, body: JSON.stringify({ known: error.message }) };
    return undefined;
  },
  internal: () => ({ status: 500, headers: {}, body: JSON.stringify({ internal: true }) }),
};

interface Started {
  server: HttpServer;
  logged: string[];
  port: number;
}

async function start(options: Partial<HttpServerOptions> = {}): Promise<Started> {
  const logged: string[] = [];
  const server = new HttpServer({
    name: "test",
    listen: { host: "127.0.0.1", port: 0 },
    renderer,
    log: (message) => logged.push(message),
    handle: async ({ request, response }) => {
      if (request.url === "/range") throw new RangeError("out of range");
      if (request.url === "/bug") throw new TypeError("a bug");
      const body = parseJson(await readBody(request, 1000));
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ echo: body }));
    },
    ...options,
  });
  await server.start();
  return { server, logged, port: server.port! };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  reusedSocket: boolean;
}

function send(port: number, path: string, body?: string | Buffer, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(body)) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")), reusedSocket: outgoing.reusedSocket }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Writes raw bytes and collects everything until the server closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}

describe("HttpServer", () => {
  it("refuses a body over bodyBytesMax through the renderer, and drains it so the connection serves the next request", async () => {
    const { server, port } = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(port, "/", Buffer.alloc(5000, 0x61), agent);
      assert.deepEqual([refused.status, refused.body], [413, { problem: "BodyTooLarge", limit: 1000 }]);
      assert.notEqual(refused.headers.connection, "close");
      const next = await send(port, "/", '{"a":1}', agent);
      assert.deepEqual([next.status, next.body, next.reusedSocket], [200, { echo: { a: 1 } }, true]);
    } finally {
      agent.destroy();
      await server.stop();
    }
  });

  it("closes the connection after refusing a body too large to be worth draining", async () => {
    const { server, port } = await start({ drainBytesMax: 2000 });
    try {
      const refused = await send(port, "/", Buffer.alloc(5000, 0x61));
      assert.deepEqual([refused.status, refused.headers.connection], [413, "close"]);
    } finally {
      await server.stop();
    }
  });

  it("answers malformed JSON as the core's MalformedJson, through the renderer", async () => {
    const { server, port } = await start();
    try {
      const reply = await send(port, "/", "{not json");
      assert.deepEqual([reply.status, reply.body.problem], [400, "MalformedJson"]);
    } finally {
      await server.stop();
    }
  });

  it("renders known errors, and logs an unknown one with the server's name before answering the generic internal error", async () => {
    const { server, port, logged } = await start();
    try {
      assert.deepEqual(await send(port, "/range").then((reply) => [reply.status, reply.body]), [422, { known: "out of range" }]);
      assert.deepEqual(logged, []);
      assert.deepEqual(await send(port, "/bug").then((reply) => [reply.status, reply.body]), [500, { internal: true }]);
      assert.equal(logged.length, 1);
      assert.match(logged[0]!, /^moor: test request [0-9a-f-]{36} failed:$/);
    } finally {
      await server.stop();
    }
  });

  it("answers bytes that are not HTTP in the renderer's shape, with no request, and closes", async () => {
    const { server, port } = await start();
    try {
      const text = await raw(port, "GARBAGE\r\n\r\n");
      assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(text, /\r\nx-test: raw\r\n/);
      assert.match(text, /\r\nConnection: close\r\n/);
      assert.deepEqual(JSON.parse(text.split("\r\n\r\n")[1]!), { problem: "MalformedHttp" });
      const overflow = await raw(port, `GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
      assert.match(overflow, /^HTTP\/1\.1 431 /);
    } finally {
      await server.stop();
    }
  });

  it("answers an upgrade its handler refuses through the renderer, on the raw socket", async () => {
    const { server, port } = await start({
      upgrade: () => {
        throw new RangeError("no such stream");
      },
    });
    try {
      const text = await raw(port, "GET /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
      assert.match(text, /^HTTP\/1\.1 422 Unprocessable Entity\r\n/);
      assert.deepEqual(JSON.parse(text.split("\r\n\r\n")[1]!), { known: "no such stream" });
    } finally {
      await server.stop();
    }
  });

  it("answers a request whose headers never finish (slowloris) with Timeout once headersTimeoutMs passes", async () => {
    const { server, port } = await start({ headersTimeoutMs: 100, requestTimeoutMs: 200, timeoutCheckIntervalMs: 20 });
    try {
      const text = await raw(port, "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.deepEqual(JSON.parse(text.split("\r\n\r\n")[1]!), { problem: "Timeout" });
    } finally {
      await server.stop();
    }
  });

  it("answers a request whose body stops short with Timeout once requestTimeoutMs passes, and logs nothing", async () => {
    const { server, port, logged } = await start({ headersTimeoutMs: 100, requestTimeoutMs: 200, timeoutCheckIntervalMs: 20 });
    try {
      const text = await raw(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n[1");
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.deepEqual(logged, []);
    } finally {
      await server.stop();
    }
  });

  it("drops a request whose client leaves mid-body without logging, and keeps serving", async () => {
    const { server, port, logged } = await start();
    try {
      await new Promise<void>((resolve) => {
        const socket: Socket = connect(port, "127.0.0.1", () => {
          socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"a\":");
          setImmediate(() => socket.destroy());
        });
        socket.on("close", () => resolve());
      });
      assert.deepEqual((await send(port, "/", "[1]")).body, { echo: [1] });
      assert.deepEqual(logged, []);
    } finally {
      await server.stop();
    }
  });

  it("stop() closes idle kept-alive connections at once and cuts a busy one after stopGraceMs", async () => {
    let entered!: () => void;
    const busy = new Promise<void>((resolve) => (entered = resolve));
    const { server, port } = await start({
      stopGraceMs: 50,
      handle: ({ request, response }) => {
        if (request.url === "/hang") entered();
        else response.end("{}");
        return new Promise<void>(() => {});
      },
    });
    const agent = new Agent({ keepAlive: true });
    await send(port, "/", undefined, agent);
    const hanging = send(port, "/hang").then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    await busy;
    await server.stop();
    assert.equal(await hanging, "ECONNRESET");
    agent.destroy();
  });

  it("listens on a Unix socket and removes the socket file when stopped", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "moor-http-")), "sub", "api.sock");
    const server = new HttpServer({ name: "test", listen: { socketPath }, renderer, handle: ({ response }) => void response.end("{}") });
    await server.start();
    try {
      const status = await new Promise<number>((resolve, reject) => request({ socketPath, path: "/" }, (response) => resolve(response.statusCode!)).on("error", reject).end());
      assert.equal(status, 200);
      assert.equal(server.port, undefined);
    } finally {
      await server.stop();
    }
    assert.equal(existsSync(socketPath), false);
  });
});

describe("parseJson()", () => {
  it("gives the parser's first line as the detail of a MalformedJson error", () => {
    assert.deepEqual(parseJson(Buffer.from('{"a":[1]}')), { a: [1] });
    assert.throws(
      () => parseJson("{"),
      (error: unknown) => error instanceof RequestError && error.problem === "MalformedJson" && error.status === 400 && /JSON/.test(error.detail ?? ""),
    );
  });
});
