#!/usr/bin/env bash
# Installs what Moor needs on a Debian machine, as root, then builds it. Idempotent, and quiet
# and quick when nothing is missing. `--test` adds what only the tests need.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

# Debian packages: runc runs sandboxes, CNI plugins wire pod networks, busybox-static makes the
# built-in test image, iproute2 makes network namespaces, util-linux mounts, debootstrap makes
# the Debian base images, nftables holds Service addresses, node ports and security groups in
# the VPC namespace, haproxy is the load balancers' proxy, musl-tools builds the test image's
# HTTP client (native/http-get.c), e2fsprogs makes and grows block volumes' file systems.
# Tests only: docker-registry (pulls from a real registry), skopeo (a standard client pushing to
# Moor's ECR), liburing-dev (bench/fuse-roundtrip's FUSE-over-io_uring daemons), chromium (the
# headless browser playwright-core drives in test/walkthroughs/wordpress-browser: a person's view
# of the WordPress walkthrough, from Debian rather than Playwright's own download),
# mariadb-client-core (the `mariadb` client on the host, reaching RDS endpoints), awscli (Debian's
# aws-cli v2 at /usr/bin/aws, for `aws logs tail`, which v1 lacks; the `aws` on the PATH stays v1).
packages=(runc containernetworking-plugins busybox-static iproute2 util-linux ca-certificates gcc libc6-dev openssl debootstrap nftables haproxy musl-tools e2fsprogs)
if [ "${1:-}" = "--test" ]; then
  packages+=(docker-registry attr python3 skopeo liburing-dev chromium mariadb-client-core awscli)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "moor setup: installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm dependencies (better-sqlite3 builds from source here: about a minute, once).
# A node_modules that is a symbolic link (a git worktree sharing another checkout's) belongs to
# that checkout: npm ci here would empty it for everyone, so it is left alone.
if [ -L node_modules ]; then
  :
elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "moor setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# The FUSE daemon's native shim (passthrough, locks, xattrs); quick when it is current.
bash native/build.sh >&2

# Build when any source is newer than the last build.
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find src test bench native tsconfig.json package.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "moor setup: building" >&2
  npx tsc -p tsconfig.json >&2 || { echo "moor setup: the TypeScript build failed" >&2; exit 1; }
  touch "$stamp"
fi
# AWS's service models from botocore (the aws CLI's own package) into dist/models; quick when current.
python3 scripts/models.py dist/models >&2
