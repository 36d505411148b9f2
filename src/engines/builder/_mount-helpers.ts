// The mount helpers of Moor's instance image. This kernel has no NFS client, so inside an
// instance `mount -t nfs|nfs4|efs` (mount(8) runs /sbin/mount.<type> spec dir -o options) asks
// Moor to mount the file system instead, through the metadata service, which knows the instance
// by its address (src/engines/metadata/_mounts.ts); Moor checks what AWS checks and puts the
// mount on the directory. The mount's type inside the instance is fuse.moor, so umount(8) runs
// /sbin/umount.fuse.moor, which asks Moor to take it off; the same helper is /sbin/umount.fuse,
// since libmount names the type from statfs(2) ("fuse", no subtype) when it skips the mount
// table. Bash only: the image has no HTTP client.

const request = `# Moor's mount helpers' conversation with Moor (sourced by mount.nfs, mount.efs, umount.fuse.moor).
moor_address=169.254.169.254

# http REQUEST-HEAD: sends it on a new connection, sets reply_status, reply_code, reply_body.
moor_http() {
  local response head
  if ! exec 3<>"/dev/tcp/$moor_address/80"; then
    echo "$program: cannot reach Moor at $moor_address" >&2
    exit 32
  fi
  printf '%s\\r\\n\\r\\n' "$1" >&3
  response=$(cat <&3; printf x)
  exec 3<&-
  response=\${response%x}
  head=\${response%%$'\\r\\n\\r\\n'*}
  reply_body=\${response#*$'\\r\\n\\r\\n'}
  reply_status=$(printf '%s\\n' "$head" | head -n 1 | cut -d ' ' -f 2)
  reply_code=$(printf '%s\\n' "$head" | tr -d '\\r' | sed -n 's/^[Xx]-[Mm]oor-[Ee]xit-[Cc]ode: *//p')
}

# moor_ask ACTION TYPE SPEC DIRECTORY OPTIONS: exits as Moor says, with its words on stderr.
moor_ask() {
  local value token=""
  for value in "$@"; do
    case "$value" in *$'\\n'*|*$'\\r'*) echo "$program: a line break is not allowed in \\"$value\\"" >&2; exit 32;; esac
  done
  moor_http $'PUT /latest/api/token HTTP/1.0\\r\\nX-aws-ec2-metadata-token-ttl-seconds: 60'
  [ "$reply_status" = 200 ] && token=$reply_body
  moor_http "POST /moor/v1/efs/$1 HTTP/1.0"$'\\r\\n'"X-aws-ec2-metadata-token: $token"$'\\r\\n'"X-Moor-Mount-Type: $2"$'\\r\\n'"X-Moor-Mount-Spec: $3"$'\\r\\n'"X-Moor-Mount-Directory: $4"$'\\r\\n'"X-Moor-Mount-Options: $5"$'\\r\\n'"Content-Length: 0"
  [ -n "$reply_body" ] && printf '%s\\n' "$reply_body" >&2
  exit "\${reply_code:-32}"
}
`;

const mountHelper = `#!/bin/bash
# Moor's /sbin/mount.nfs, mount.nfs4 and mount.efs: mount(8) runs it as
#   mount.<type> SPEC DIRECTORY [-fnsv] [-o OPTIONS] [-t TYPE]
# and Moor mounts the file system there (this kernel has no NFS client).
set -u
program=$(basename "$0")
type=\${program#mount.}
. /usr/local/lib/moor/mount-request
if [ $# -lt 2 ]; then
  echo "usage: $program remotetarget dir [-rvVwfnsh] [-o nfsoptions]" >&2
  exit 1
fi
spec=$1 directory=$2 options=""
shift 2
while [ $# -gt 0 ]; do
  case "$1" in
    -o) options=\${2:-}; shift 2 || shift ;;
    -o*) options=\${1#-o}; shift ;;
    -t) shift 2 || shift ;;
    *) shift ;;
  esac
done
case "$directory" in /*) ;; *) directory="$(pwd)/$directory" ;; esac
if [ ! -d "$directory" ]; then
  echo "$program: mount point $directory does not exist" >&2
  exit 32
fi
moor_ask mount "$type" "$spec" "$(cd "$directory" && pwd -P)" "$options"
`;

const unmountHelper = `#!/bin/bash
# Moor's /sbin/umount.fuse.moor (and umount.fuse): umount(8) runs it for a file system Moor
# mounted here (the only FUSE mounts an instance has),
#   umount.fuse.moor DIRECTORY [-flnrv] [-t TYPE]
# and Moor takes the mount off.
set -u
program=umount
. /usr/local/lib/moor/mount-request
directory=\${1:-}
if [ -z "$directory" ]; then
  echo "usage: umount.fuse.moor directory" >&2
  exit 1
fi
case "$directory" in /*) ;; *) directory="$(pwd)/$directory" ;; esac
moor_ask unmount fuse.moor "" "$directory" ""
`;

/** The helpers' files, by path inside the instance (/sbin is a link to /usr/sbin in bookworm). */
export function mountHelperFiles(): Record<string, string> {
  return {
    "usr/local/lib/moor/mount-request": request,
    "usr/sbin/mount.nfs": mountHelper,
    "usr/sbin/mount.nfs4": mountHelper,
    "usr/sbin/mount.efs": mountHelper,
    "usr/sbin/umount.fuse.moor": unmountHelper,
    "usr/sbin/umount.fuse": unmountHelper,
  };
}
