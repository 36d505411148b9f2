// Metering: the size changes of files, reported to the mount's onBytesWritten hook. Writers are
// measured when their last descriptor closes (RELEASE), so that passthrough writes, which never reach
// the daemon, count too; truncations and removals are counted as they happen.

import type { Inode, InodeState } from "./_inodes.js";
import type { FileStats } from "./_stat.js";
import type { Handle, Session } from "./_session.js";

/** The size of a file as last metered, shared by the handles writing it. */
class Meter implements InodeState {
  writers = 0;
  constructor(public sizeBytes: number) {}
  close(): void {}
}

export function startMetering(inode: Inode, stats: FileStats): void {
  let meter = inode.state.get("meter") as Meter | undefined;
  if (!meter) {
    meter = new Meter(Number(stats.size));
    inode.state.set("meter", meter);
  }
  meter.writers += 1;
}

/** Meters a truncation made by SETATTR, keeping open writers' baseline in step. */
export function meterResize(session: Session, inode: Inode, fromBytes: number, toBytes: number): void {
  const meter = inode.state.get("meter") as Meter | undefined;
  if (meter) {
    session.metered(toBytes - meter.sizeBytes);
    meter.sizeBytes = toBytes;
  } else {
    session.metered(toBytes - fromBytes);
  }
}

/** Meters a writable handle's size change and tells the other mounts the file changed. */
export function measure(session: Session, handle: Handle): void {
  session.changed(handle.inode);
  const meter = handle.inode.state.get("meter") as Meter | undefined;
  if (!meter || handle.fd < 0) return;
  const size = Number(session.inodes.stater.fd(handle.fd).size);
  session.metered(size - meter.sizeBytes);
  meter.sizeBytes = size;
}

export function stopMetering(inode: Inode): void {
  const meter = inode.state.get("meter") as Meter | undefined;
  if (!meter) return;
  meter.writers -= 1;
  if (meter.writers <= 0) inode.state.delete("meter");
}
