#!/usr/bin/env bash
# Build the Debian package of upcycle: target/debian/upcycle_<version>_amd64.deb
#
# Usage: scripts/build-deb.sh
#
# What it does, in order:
#   1. installs cargo-deb if it is missing (`cargo install cargo-deb --locked`, from
#      crates.io; NO_INSTALL=1: fail instead);
#   2. cargo build --release --locked (the binary the package carries);
#   3. `upcycle generate-assets target/assets`: the man pages (English in man1, German in
#      de/man1) and the bash, zsh and fish completions, made from the binary's own
#      command line, so they say what this binary does;
#   4. `cargo deb --no-build` with the assets of [package.metadata.deb] in Cargo.toml;
#   5. lists the package's files (dpkg-deb --contents) and prints its path.
#
# Only amd64 for now: an i386 package from the static i686 build of
# scripts/build-static.sh is not made yet (docs/packaging.md).
# Test the package: scripts/e2e/deb-install.sh (installs and removes it in a chroot).
set -euo pipefail
cd "$(dirname "$0")/.."
prog=build-deb.sh
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

TARGET_DIR=${CARGO_TARGET_DIR:-target}

if ! cargo deb --version >/dev/null 2>&1; then
    [ -z "${NO_INSTALL:-}" ] || die "cargo-deb is missing (NO_INSTALL=1: not installing); run: cargo install cargo-deb --locked"
    note "installing cargo-deb (cargo install cargo-deb --locked)"
    cargo install cargo-deb --locked
fi

note "cargo build --release --locked"
cargo build --release --locked

# cargo-deb reads the assets from target/ (Cargo.toml); a stale page of a removed
# subcommand must not stay in the package
rm -rf "$TARGET_DIR/assets"
"$TARGET_DIR/release/upcycle" generate-assets "$TARGET_DIR/assets" >/dev/null
note "generated $(find "$TARGET_DIR/assets" -type f | wc -l) man pages and completions in $TARGET_DIR/assets"

deb=$(cargo deb --no-build --locked | tail -n 1)
[ -f "$deb" ] || die "cargo deb printed no package path (got: $deb)"
dpkg-deb --contents "$deb" | awk '{print $NF}' | grep -v '/$' | sed 's/^/  /' >&2
note "built $deb ($(du -h "$deb" | cut -f1))"
echo "$deb"
