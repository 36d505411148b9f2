// A stand-in for the Moor process in the crash tests: mounts one FUSE volume through an engine
// whose daemons keep their sockets in <stateDirectory>, prints the daemon's pid as JSON, and then
// idles until it is killed.
// Usage: node _moor-stand-in.js <source> <mountPoint> <stateDirectory>

import { FuseEngine } from "../../src/engines/fuse/mod.js";

const [source, mountPoint, stateDirectory] = process.argv.slice(2);
// Callers of a mount whose daemon died with no Moor to restart it get ENOTCONN after 1 s.
const engine = new FuseEngine({ stateDirectory, takeoverTimeoutMs: 1000 });
const mount = await engine.mount({ source: source!, mountPoint: mountPoint!, identity: { uid: 1000, gid: 1000, secondaryGids: [] } });
process.stdout.write(`${JSON.stringify({ daemonPid: mount.daemonPid })}\n`);
setInterval(() => undefined, 60_000);
