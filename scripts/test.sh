#!/usr/bin/env bash
# The project's one test command (README, CI): formatting, unit and integration tests,
# shell scripts through shellcheck, and the static i686/x86_64 binaries on every fixture.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
  echo "shellcheck is missing: apt-get install shellcheck" >&2
  exit 1
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== shellcheck"
shellcheck scripts/*.sh .ci/run

echo "== cargo test"
cargo test --locked

echo "== static binaries (i686 + x86_64 musl)"
scripts/test-static.sh
