#!/usr/bin/env bash
# The slow end-to-end checks, run by CI after scripts/test.sh:
#   1. the static i686 and x86_64 binaries probe every fixture like the normal build;
#   2. the real Debian installer boots in QEMU with bundles made by `upcycle generate`
#      (i386 Debian 12 with forcepae, amd64 Debian 13) and the boot line of their boot.txt,
#      and reaches the download stage without a question (docs/e2e.md); each run is
#      limited to 15 minutes of installer time and stopped at 21 whatever hangs;
# Each step prints its own "N passed, M failed" line; the script fails if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
echo "== static binaries (i686 + x86_64 musl)"
scripts/test-static.sh
echo "== installer smoke test (QEMU, generated bundles)"
scripts/e2e/installer-smoke.sh --timeout 15m
echo "== e2e done in $(( $(date +%s) - start )) s"
