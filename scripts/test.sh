#!/usr/bin/env bash
# Runs every test: unit, contract, integration and end-to-end (as root, with real runc, FUSE,
# SQLite, the aws CLI and kubectl). Installs what is missing first. Ends with "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --test || exit 1

mapfile -t files < <(find dist/src dist/test -name '*.test.js' 2>/dev/null | sort)
if [ "$#" -gt 0 ]; then
  mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -E "$1")
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found"
  echo "0 passed, 1 failed"
  exit 1
fi

tap="$(mktemp)"
node --enable-source-maps --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "${files[@]}"
status=$?
passed=$(grep -E '^# pass ' "$tap" | awk '{print $3}')
failed=$(grep -E '^# fail ' "$tap" | awk '{print $3}')
rm -f "$tap"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then exit "$status"; fi
[ "${failed:-0}" -eq 0 ]
