// A stand-in for the Moor process in the crash tests: mounts one FUSE volume through the engine,
// prints the daemon's pid as JSON, and then idles until it is killed.
// Usage: node _moor-stand-in.js <source> <mountPoint>

import { mountFuse } from "../../src/engines/fuse/mod.js";

const [source, mountPoint] = process.argv.slice(2);
const mount = await mountFuse({ source, mountPoint, identity: { uid: 1000, gid: 1000, secondaryGids: [] } });
process.stdout.write(`${JSON.stringify({ daemonPid: mount.daemonPid })}\n`);
setInterval(() => undefined, 60_000);
