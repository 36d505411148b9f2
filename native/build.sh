#!/usr/bin/env bash
# Builds the descriptor holder (native/build/moor_fuse_holder) and Moor's native shim for the FUSE
# daemon (native/build/moor_fuse.node): the few system
# calls Node.js lacks (FUSE passthrough ioctls, flock, OFD locks, xattrs, mknod, openat2). It is
# a plain N-API addon compiled with the system C compiler against Node's headers; no node-gyp
# and no network. Quiet and quick when the build is current. The daemon runs without it, with
# passthrough, locks across mounts, xattrs and mknod turned off.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# The descriptor holder (moor_fuse_holder.c): a plain program, no Node.js headers needed.
holder_source="$here/moor_fuse_holder.c"
holder="$here/build/moor_fuse_holder"
if ! { [ -f "$holder" ] && [ "$holder" -nt "$holder_source" ]; }; then
  mkdir -p "$here/build"
  cc -O2 -Wall -Wextra -o "$holder.tmp" "$holder_source"
  mv "$holder.tmp" "$holder"
fi

source_file="$here/moor_fuse.c"
output="$here/build/moor_fuse.node"

# The built-in test image's HTTP client (native/http-get.c), static with musl (musl-tools): its
# resolver honours a pod's resolv.conf, which static glibc's does not.
client="$here/build/http-get"
if command -v musl-gcc >/dev/null && { [ ! -f "$client" ] || [ "$here/http-get.c" -nt "$client" ]; }; then
  mkdir -p "$here/build"
  musl-gcc -static -O2 -Wall -Wextra -o "$client.tmp" "$here/http-get.c"
  mv "$client.tmp" "$client"
fi

[ -f "$output" ] && [ "$output" -nt "$source_file" ] && exit 0

headers=""
for candidate in "$(npm config get nodedir 2>/dev/null || true)/include/node" /usr/include/node /usr/local/include/node; do
  if [ -f "$candidate/node_api.h" ]; then headers="$candidate"; break; fi
done
if [ -z "$headers" ]; then
  echo "moor native: Node.js headers (node_api.h) not found: the FUSE daemon runs without passthrough" >&2
  exit 0
fi
mkdir -p "$here/build"
cc -O2 -Wall -Wextra -shared -fPIC -DNAPI_VERSION=8 -I"$headers" -o "$output.tmp" "$source_file"
mv "$output.tmp" "$output"

