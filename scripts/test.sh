#!/usr/bin/env bash
# The project's test command (README, CI): formatting, shell scripts through shellcheck,
# and every unit and integration test. The slow end-to-end checks (static binaries,
# installer in QEMU, package installs in chroots) are in scripts/e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in shellcheck debconf-set-selections openssl chromium; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "missing: ${missing[*]} (apt-get install shellcheck debconf openssl chromium fonts-dejavu-core)" >&2
    exit 1
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== shellcheck"
shellcheck scripts/*.sh scripts/e2e/*.sh .ci/run

echo "== cargo test"
cargo test --locked
