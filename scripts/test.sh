#!/usr/bin/env bash
# Runs every test: unit, contract, integration and end-to-end (as root, with real runc, FUSE,
# SQLite, the aws CLI and kubectl). Installs what is missing first. Ends with "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --test || exit 1

# Every test file in a process of its own, two at a time (MOOR_TEST_JOBS), longest first; the
# runner prints each file's output when it ends, the slowest files, then "N passed, N failed".
exec node --enable-source-maps dist/test/_run.js "$@"
