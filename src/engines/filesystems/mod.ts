// The file-system engine: each EFS file system is a directory tree on the backing store, and its
// metered size. The layout (`fileSystemDirectory`, `accessPointDirectory`) is known only here;
// other parts ask these functions for a host path.
//
// Lifecycle: the file-system controller calls `directories.create` when a file system is created
// and `directories.remove` when it is deleted; it tracks each available file system in the
// `meter` and publishes the metered size to the store. Other engines that write file data (the
// FUSE daemon, the mount engine) call `meter.reportWritten(fsId, deltaBytes)` so SizeInBytes
// follows writes between the meter's background passes.
//
// Path safety: a file system's tree is written by sandboxes, which can plant symbolic links.
// Every operation inside it (an access point's root directory, metering, removing a directory,
// the FUSE daemon's root) resolves beneath the file system's root through no link at all with
// `openBeneath` and acts on descriptors; `removeEntry` deletes a tree the same way.

import { DataDirectories } from "./_directories.js";
import { SizeMeter, type SizeMeterOptions } from "./_meter.js";

export { entryPath, openBeneath, openPathFlag, removeEntry, withBeneath, withDirectory } from "./_beneath.js";
export { DataDirectories, removeDirectoryInFileSystem } from "./_directories.js";
export { accessPointDirectory, directoryInFileSystem, fileSystemDirectory, pathInFileSystem } from "./_layout.js";
export { SizeMeter, type MeteredSize, type SizeMeterOptions } from "./_meter.js";

export interface FileSystemEngine {
  directories: DataDirectories;
  meter: SizeMeter;
}

export interface FileSystemEngineOptions {
  backingRoot: string;
  meter?: Omit<SizeMeterOptions, "root">;
}

export function createFileSystemEngine(options: FileSystemEngineOptions): FileSystemEngine {
  return {
    directories: new DataDirectories(options.backingRoot),
    meter: new SizeMeter({ root: options.backingRoot, ...options.meter }),
  };
}
