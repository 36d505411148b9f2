import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { daemonPidOf, daemonSocketPath, readLines, sendLine } from "./mod.js";

describe("the control socket's wire", () => {
  it("names a daemon's socket by its pid, and reads the pid back only from such a name", () => {
    const path = daemonSocketPath("/home/run/fuse", 4242);
    assert.equal(path, "/home/run/fuse/daemon-4242.sock");
    assert.equal(daemonPidOf("daemon-4242.sock"), 4242);
    assert.equal(daemonPidOf("daemons.log"), undefined);
    assert.equal(daemonPidOf("daemon-42x.sock"), undefined);
  });

  it("carries messages one per line, whole, however the stream splits them", async () => {
    const directory = mkdtempSync(join(tmpdir(), "moor-wire-"));
    const path = join(directory, "test.sock");
    const received: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        readLines(socket, (message) => {
          received.push(message);
          if (received.length === 3) {
            socket.destroy();
            server.close(() => resolve());
          }
        });
      });
      server.listen(path, () => {
        const client: Socket = connect(path, () => {
          sendLine(client, { type: "mount", path: "/a\nb" });
          // A message split across writes arrives whole.
          client.write('{"type":"st');
          client.write('ats","id":1}\n{"type":"alive"}\n');
          client.end();
        });
      });
    });
    await done;
    rmSync(directory, { recursive: true, force: true });
    assert.deepEqual(received, [{ type: "mount", path: "/a\nb" }, { type: "stats", id: 1 }, { type: "alive" }]);
  });
});
