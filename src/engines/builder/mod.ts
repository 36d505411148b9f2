// Moor's image builder: `moor image build` (Dockerfiles) and `moor image base` (the Debian base
// images), writing into the image store (src/engines/images) so pods run the result by name.
//
// A build runs each stage's steps in order. RUN runs in a runc sandbox on an overlay of the
// image's layers, on the host's network (apt-get reaches Debian's mirror); its overlay upper
// directory becomes the step's layer, moved (not copied) into the store. COPY and ADD write a
// fresh layer directory. Metadata instructions change the image config only. Every step is
// cached under a key made as Docker makes it, so an unchanged rebuild reruns nothing.
//
// The base images debian:bookworm and debian:bookworm-slim are made once per machine with
// debootstrap and kept as reproducible layer tarballs in the cache directory
// (MOOR_CACHE, default /var/cache/moor), shared by every Moor home and the test suite.

export { buildImage, type BuildOptions, type BuildResult } from "./_build.js";
export { baseImageReferences, ensureBaseImage, isBaseImage, type BaseOptions } from "./_base.js";
export { ensureInstanceImage, instanceImageReference } from "./_instance.js";

/** The machine-wide cache directory for base images. */
export function machineCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.MOOR_CACHE || "/var/cache/moor";
}
