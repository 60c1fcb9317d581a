#!/usr/bin/env bash
# The slow end-to-end checks, run by CI after scripts/test.sh:
#   1. the static i686 and x86_64 binaries probe every fixture like the normal build;
# Each step prints its own "N passed, M failed" line; the script fails if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
echo "== static binaries (i686 + x86_64 musl)"
scripts/test-static.sh
echo "== e2e done in $(( $(date +%s) - start )) s"
