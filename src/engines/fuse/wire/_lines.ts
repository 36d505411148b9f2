// One JSON message per line on a stream socket: JSON text never holds a raw newline, so a line
// is a message. Both ends of the control socket use these two functions.

import type { Socket } from "node:net";

const lineBytesMax = 16 * 1024 * 1024;

/** Writes one message; false when the socket cannot take it (closed or closing). */
export function sendLine(socket: Socket, message: unknown): boolean {
  if (socket.destroyed || !socket.writable) return false;
  socket.write(`${JSON.stringify(message)}\n`);
  return true;
}

/** Calls `onMessage` for each line; a line that is not JSON, or far too long, ends the socket. */
export function readLines(socket: Socket, onMessage: (message: unknown) => void): void {
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    pending += chunk;
    let end = pending.indexOf("\n");
    while (end >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        socket.destroy(new Error("Cannot read the FUSE control socket: a line is not JSON"));
        return;
      }
      onMessage(message);
      end = pending.indexOf("\n");
    }
    if (pending.length > lineBytesMax) socket.destroy(new Error("Cannot read the FUSE control socket: a line is too long"));
  });
}
