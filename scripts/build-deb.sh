#!/usr/bin/env bash
# Build the Debian package of upcycle: target/debian/upcycle_<version>_amd64.deb, or
# with --arch i386 target/debian/upcycle_<version>_i386.deb (old 32-bit workshop PCs).
#
# Usage: scripts/build-deb.sh [--arch amd64|i386]
#
# What it does, in order:
#   1. installs cargo-deb if it is missing (`cargo install cargo-deb --locked`, from
#      crates.io; NO_INSTALL=1: fail instead);
#   2. the binary the package carries: amd64 `cargo build --release --locked` (linked
#      against glibc: Depends libc6); i386 the static i686 musl binary of
#      scripts/build-static.sh (runs on any i686 Debian, Pentium M and up; no Depends),
#      so no i386 cross toolchain for glibc is needed;
#   3. `upcycle generate-assets target/assets` with that binary: the man pages (English
#      in man1, German in de/man1) and the bash, zsh and fish completions, made from the
#      binary's own command line, so they say what this binary does;
#   4. the static binaries of scripts/build-static.sh, when they are built
#      (target/{i686,x86_64}-unknown-linux-musl/release/upcycle; each one that exists,
#      after `file` says it is statically linked), copied to
#      target/deb-static/<target>/upcycle: the package then carries them as
#      /usr/lib/upcycle/<target>/upcycle, the default of `media usb`/`media netboot
#      --upcycle-static` (upcycle in the installer: the laptop's self-check, the
#      erasure); none built: a package without them, and a note says so;
#   5. `cargo deb --no-build` with the assets of [package.metadata.deb] in Cargo.toml
#      (for i386 with --target i686-unknown-linux-musl: cargo-deb takes the binary from
#      target/i686-unknown-linux-musl/release/ and names the architecture i386), with
#      the static binaries through its variant `with-static` (the same package name);
#   6. lists the package's files (dpkg-deb --contents) and prints its path.
#
# Test the package: scripts/e2e/deb-install.sh [--arch i386] (installs and removes it in
# a chroot).
set -euo pipefail
cd "$(dirname "$0")/.."
prog=build-deb.sh
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

TARGET_DIR=${CARGO_TARGET_DIR:-target}
arch=amd64
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) [ $# -ge 2 ] || die "--arch needs amd64 or i386"; arch=$2; shift 2 ;;
        -h | --help) sed -n '5,5s/^# //p' "$0" >&2; exit 2 ;;
        *) die "unknown argument: $1 (usage: scripts/build-deb.sh [--arch amd64|i386])" ;;
    esac
done
case "$arch" in amd64 | i386) ;; *) die "--arch: amd64 or i386, not '$arch'" ;; esac

if ! cargo deb --version >/dev/null 2>&1; then
    [ -z "${NO_INSTALL:-}" ] || die "cargo-deb is missing (NO_INSTALL=1: not installing); run: cargo install cargo-deb --locked"
    note "installing cargo-deb (cargo install cargo-deb --locked)"
    cargo install cargo-deb --locked
fi

deb_args=()
if [ "$arch" = amd64 ]; then
    note "cargo build --release --locked"
    cargo build --release --locked
    bin=("$TARGET_DIR/release/upcycle")
else
    note "scripts/build-static.sh (the static i686 binary)"
    scripts/build-static.sh >&2
    # shellcheck source=/dev/null  # written by build-static.sh: BIN_I686, I686_RUNNER
    . "$TARGET_DIR/static-build.env"
    [ -x "$BIN_I686" ] || die "build-static.sh made no $BIN_I686"
    bin=("$BIN_I686")
    [ -z "${I686_RUNNER:-}" ] || bin=("$I686_RUNNER" "$BIN_I686")
    deb_args=(--target i686-unknown-linux-musl)
fi

# cargo-deb reads the assets from target/ (Cargo.toml); a stale page of a removed
# subcommand must not stay in the package
rm -rf "$TARGET_DIR/assets"
"${bin[@]}" generate-assets "$TARGET_DIR/assets" >/dev/null
note "generated $(find "$TARGET_DIR/assets" -type f | wc -l) man pages and completions in $TARGET_DIR/assets"

# the static binaries for the installer, the ones that are built (a stale one of an
# earlier build must not stay)
rm -rf "$TARGET_DIR/deb-static"
statics=()
for t in i686-unknown-linux-musl x86_64-unknown-linux-musl; do
    s=$TARGET_DIR/$t/release/upcycle
    [ -f "$s" ] || continue
    file -b "$s" | grep -q 'statically linked\|static-pie linked' ||
        die "$s is not statically linked (file: $(file -b "$s")); rebuild it with scripts/build-static.sh"
    install -D -m 0755 "$s" "$TARGET_DIR/deb-static/$t/upcycle"
    statics+=("$t")
done
if [ ${#statics[@]} -gt 0 ]; then
    deb_args+=(--variant with-static)
    note "with the static binaries for the installer: ${statics[*]} (/usr/lib/upcycle/<target>/upcycle)"
else
    note "no static binaries built (scripts/build-static.sh): the package has none in /usr/lib/upcycle, and media usb/netboot then need --upcycle-static"
fi

deb=$(cargo deb --no-build --locked "${deb_args[@]}" | tail -n 1)
[ -f "$deb" ] || die "cargo deb printed no package path (got: $deb)"
[ "$(dpkg-deb --field "$deb" Architecture)" = "$arch" ] ||
    die "$deb is for $(dpkg-deb --field "$deb" Architecture), not $arch"
dpkg-deb --contents "$deb" | awk '{print $NF}' | grep -v '/$' | sed 's/^/  /' >&2
note "built $deb ($(du -h "$deb" | cut -f1))"
echo "$deb"
